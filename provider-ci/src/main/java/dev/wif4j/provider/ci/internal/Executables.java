package dev.wif4j.provider.ci.internal;

import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.support.Text;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds a tool on the PATH the context reports, resolving each entry through {@link DetectionContext#path}, so a
 * test's fake file system stands in for the real one and nothing reads the process's own environment; and says
 * whether a tool found there may be run.
 */
final class Executables {
    private Executables() {
    }

    /**
     * The first executable regular file named {@code name} in a PATH directory.
     *
     * @param context the context
     * @param name the tool's name, e.g. {@code buildkite-agent}
     * @return its path, or empty when no PATH entry holds it
     */
    static Optional<Path> find(DetectionContext context, String name) {
        boolean windows = File.separatorChar == '\\';
        for (String entry : context.env("PATH").orElse("").split(File.pathSeparator)) {
            // A relative entry (".", "bin") would run whatever the working directory holds: skipped.
            boolean absolute = entry.startsWith("/") || windows && entry.length() > 2 && entry.charAt(1) == ':';
            if (!absolute || entry.indexOf('\0') >= 0) {
                continue;
            }
            String directory = entry.endsWith("/") || entry.endsWith("\\") ? entry : entry + "/";
            for (String candidate : windows ? new String[] {name + ".exe", name + ".cmd", name} : new String[] {name}) {
                try {
                    Path path = context.path(directory + candidate);
                    if (Files.isRegularFile(path) && Files.isExecutable(path)) {
                        return Optional.of(path);
                    }
                } catch (RuntimeException e) {
                    // An entry this file system cannot name is no place to find the tool.
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Why the tool at {@code path} must not be run, when someone other than root and the user running this JVM
     * could have put their own program there: the file, the directory it was found in, or (for a link) the file it
     * names or that file's directory is writable by its group or by others, or belongs to another user. Whoever can
     * change the tool runs their code with this process's rights and sees the token it prints. On a file system
     * without POSIX owners and modes (Windows), nothing is refused here.
     *
     * @param path the tool, as found on PATH
     * @return the reason, a clause naming the path and what to change; empty when the tool may be run
     */
    static Optional<String> untrusted(Path path) {
        try {
            Path real = path.toRealPath();
            Path directory = path.toAbsolutePath().getParent();
            for (Path checked : new Path[] {real, directory, real.getParent()}) {
                Optional<String> problem = problem(checked, checked.equals(real) ? "" : "the directory ");
                if (problem.isPresent()) {
                    return problem;
                }
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            // Gone or unreadable: running it fails on its own, with the error the start gives.
            return Optional.empty();
        }
    }

    private static Optional<String> problem(Path path, String what) throws IOException {
        Object mode;
        Object uid;
        try {
            mode = Files.getAttribute(path, "unix:mode");
            uid = Files.getAttribute(path, "unix:uid");
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return Optional.empty();
        }
        String shown = Text.escape(path.toString());
        if (mode instanceof Integer m && (m & 0022) != 0) {
            return Optional.of(what + shown + " can be changed by " + ((m & 0002) != 0 ? "every user" : "its group")
                    + " (mode " + String.format("%04o", m & 07777) + "): make it writable by its owner alone (chmod go-w "
                    + shown + ")");
        }
        if (uid instanceof Integer owner && owner != 0 && !ours(path, owner)) {
            return Optional.of(what + shown + " belongs to uid " + owner + ", neither root nor the user running this "
                    + "JVM" + currentUid().map(u -> " (uid " + u + ")").orElse("") + ": install it as root or as that user");
        }
        return Optional.empty();
    }

    /** Whether the file's owner is the user running this JVM; true when the system cannot tell. */
    private static boolean ours(Path path, int owner) throws IOException {
        Optional<Integer> self = currentUid();
        if (self.isPresent()) {
            return self.get() == owner;
        }
        Optional<String> user = ProcessHandle.current().info().user();
        return user.isEmpty() || user.get().equals(Files.getOwner(path).getName());
    }

    /** This process's user id, where the system says (Linux: the owner of /proc/self); empty elsewhere. */
    private static Optional<Integer> currentUid() {
        try {
            // The real /proc, not the context's file system: the process is a real one.
            return Files.getAttribute(Path.of("/proc/self"), "unix:uid") instanceof Integer uid ? Optional.of(uid)
                    : Optional.empty();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
