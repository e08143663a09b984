package dev.wif4j.spi.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reads the small files a provider depends on (a token, a client secret, a profile) so that nothing
 * in them can hang or flood the process: only a regular file is opened (a FIFO with no writer, a
 * device such as {@code /dev/zero}, a socket or a directory is refused before it is opened), and
 * no more than the cap is read. Symbolic links are followed, as Kubernetes' projected volumes need.
 */
public final class SmallFiles {

    private SmallFiles() {}

    /** The path names something that is not a regular file: a directory, a FIFO, a device or a socket. */
    public static final class NotRegularFileException extends IOException {
        @Serial
        private static final long serialVersionUID = 1L;
        /** Whether the path is a directory. */
        private final boolean directory;

        NotRegularFileException(Path path, boolean directory) {
            super(path + (directory ? " is a directory" : " is not a regular file (a FIFO, a device or a socket?)"));
            this.directory = directory;
        }

        /** Made here, typed as its supertype: see {@link SmallFiles#read}. */
        private static IOException of(Path path, boolean directory) {
            return new NotRegularFileException(path, directory);
        }

        /**
         * Whether the path is a directory.
         *
         * @return {@code true} for a directory, {@code false} for a FIFO, device or socket
         */
        public boolean isDirectory() {
            return directory;
        }
    }

    /** The file is larger than the cap; it was not read past it. */
    public static final class TooLargeException extends IOException {
        @Serial
        private static final long serialVersionUID = 1L;
        /** The cap, in bytes. */
        private final long limit;

        TooLargeException(Path path, long limit) {
            super(path + " is larger than " + limit + " bytes");
            this.limit = limit;
        }

        /** Made here, typed as its supertype: see {@link SmallFiles#read}. */
        private static IOException of(Path path, long limit) {
            return new TooLargeException(path, limit);
        }

        /**
         * The cap that was passed.
         *
         * @return the cap in bytes
         */
        public long limit() {
            return limit;
        }
    }

    /**
     * Reads a whole regular file of at most {@code maxBytes}.
     *
     * @param path the file
     * @param maxBytes the cap
     * @return the file's bytes
     * @throws java.nio.file.NoSuchFileException if it does not exist
     * @throws NotRegularFileException if it is a directory, FIFO, device or socket (nothing was opened)
     * @throws TooLargeException if it holds more than {@code maxBytes}
     * @throws IOException if it cannot be read otherwise (e.g. {@link java.nio.file.AccessDeniedException})
     */
    public static byte[] read(Path path, int maxBytes) throws IOException {
        // The failures are made by their types' of(), typed as IOException: the JVM then loads their classes at the
        // first one thrown, not to verify this class, which reads every token file (issue 32).
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
        if (!attributes.isRegularFile()) {
            throw NotRegularFileException.of(path, attributes.isDirectory());
        }
        try (InputStream in = Files.newInputStream(path)) {
            // One open, one read: a file swapped atomically (kubelet's ..data) is seen whole, old or new.
            byte[] bytes = in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw TooLargeException.of(path, maxBytes);
            }
            return bytes;
        }
    }
}
