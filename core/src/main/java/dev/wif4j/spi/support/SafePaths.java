package dev.wif4j.spi.support;

import java.io.IOException;
import java.io.Serial;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Whether another user can change what a path names, judged the way OpenSSH's {@code StrictModes}
 * judges a user's files: {@link #checkDirectory} wants a directory, and every directory above it, owned
 * by this user or by root and not writable by its group or by others unless it has the sticky bit (then
 * only an entry's owner may rename or remove it): one writable directory anywhere above is enough for
 * another user to swap a subdirectory, and with it everything below. {@link #checkOwnFile} wants a file
 * that is no symbolic link and is owned by this user or by root.
 *
 * <p>Where the file system keeps no Unix owner and mode (Windows: ACLs decide there), nothing is
 * checked. Owners are checked where the runtime can tell this process's user, through the
 * {@code jdk.security.auth} module: on the class path it always can; on the module path, only when that
 * module is in the boot layer (for example {@code --add-modules jdk.security.auth}). Modes are checked
 * either way.
 */
public final class SafePaths {
    private static final long UNKNOWN = -1;
    private static final long CURRENT_UID = readCurrentUid();

    private SafePaths() {}

    /** A path another user could change, or one that is a link or another user's file. */
    public static final class UnsafePathException extends IOException {
        @Serial
        private static final long serialVersionUID = 1L;
        /** The path found unsafe: the file, or the directory above it. */
        private final transient Path path;

        UnsafePathException(Path path, String problem) {
            super(problem);
            this.path = path;
        }

        /**
         * The path found unsafe; the message says why, naming it (escaped).
         *
         * @return the file or directory
         */
        public Path path() {
            return path;
        }
    }

    /**
     * This process's user id, where the runtime can tell.
     *
     * @return the uid, or empty (Windows, or a runtime without {@code jdk.security.auth})
     */
    public static OptionalLong currentUid() {
        return CURRENT_UID == UNKNOWN ? OptionalLong.empty() : OptionalLong.of(CURRENT_UID);
    }

    /**
     * Checks a directory and every directory above it, up to the root, after resolving symbolic
     * links: each must be owned by this user or root, and not writable by its group or others unless
     * it has the sticky bit. Write through the path returned, which has no link left for anyone to
     * repoint.
     *
     * @param directory the directory
     * @return its real path (links resolved)
     * @throws UnsafePathException naming the first directory, from {@code directory} upwards, that fails,
     *     and why
     * @throws IOException if the directory does not exist or its attributes cannot be read
     */
    public static Path checkDirectory(Path directory) throws IOException {
        Path real = directory.toRealPath();
        for (Path p = real; p != null; p = p.getParent()) {
            Attributes a = attributes(p);
            if (a == null) {
                return real; // no Unix owner or mode here
            }
            checkOwner(p, a);
            if (a.mode != null && (a.mode & 0022) != 0 && (a.mode & 01000) == 0) {
                throw new UnsafePathException(p, Text.escape(p.toString(), 500) + " can be written by "
                        + ((a.mode & 0002) != 0 ? "other users" : "other members of its group") + " (mode "
                        + String.format("%04o", a.mode & 07777) + ") and has no sticky bit");
            }
        }
        return real;
    }

    /**
     * Checks that a file is not a symbolic link and is owned by this user or root. The file is not
     * opened.
     *
     * @param file the file
     * @throws UnsafePathException if it is a link or another user's file
     * @throws java.nio.file.NoSuchFileException if it does not exist
     * @throws IOException if its attributes cannot be read
     */
    public static void checkOwnFile(Path file) throws IOException {
        if (Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isSymbolicLink()) {
            throw new UnsafePathException(file, Text.escape(file.toString(), 500) + " is a symbolic link");
        }
        Attributes a = attributes(file);
        if (a != null) {
            checkOwner(file, a);
        }
    }

    private static void checkOwner(Path p, Attributes a) throws UnsafePathException {
        if (CURRENT_UID == UNKNOWN || a.uid == null || a.uid == 0 || a.uid == CURRENT_UID) {
            return;
        }
        String name;
        try {
            name = Files.getOwner(p, LinkOption.NOFOLLOW_LINKS).getName();
        } catch (IOException | UnsupportedOperationException e) {
            name = String.valueOf(a.uid);
        }
        throw new UnsafePathException(p, Text.escape(p.toString(), 500) + " is owned by "
                + (name.equals(String.valueOf(a.uid)) ? "uid " + a.uid : Text.escape(name, 40) + " (uid " + a.uid + ")")
                + ", not by this user (uid " + CURRENT_UID + ") or root");
    }

    /** The owner's uid and the mode bits, sticky bit included, without following a link; null if unknown. */
    private static Attributes attributes(Path p) throws IOException {
        try {
            Map<String, Object> unix = Files.readAttributes(p, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
            return new Attributes(unix.get("uid") instanceof Integer u ? u.longValue() : null,
                    unix.get("mode") instanceof Integer m ? m : null);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            try {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
                // No sticky bit visible here: count it as absent, the safe side.
                return new Attributes(null, (perms.contains(PosixFilePermission.GROUP_WRITE) ? 0020 : 0)
                        | (perms.contains(PosixFilePermission.OTHERS_WRITE) ? 0002 : 0));
            } catch (UnsupportedOperationException ignored) {
                return null;
            }
        }
    }

    private record Attributes(Long uid, Integer mode) {}

    private static long readCurrentUid() {
        try {
            return new com.sun.security.auth.module.UnixSystem().getUid();
        } catch (LinkageError | RuntimeException e) {
            return UNKNOWN; // Windows, or jdk.security.auth not in the runtime
        }
    }
}
