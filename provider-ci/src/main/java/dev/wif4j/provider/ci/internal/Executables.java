package dev.wif4j.provider.ci.internal;

import dev.wif4j.spi.DetectionContext;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds a tool on the PATH the context reports, resolving each entry through {@link DetectionContext#path}, so a
 * test's fake file system stands in for the real one and nothing reads the process's own environment.
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
}
