package dev.wif4j.cli;

import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.WorkloadIdentityException;
import dev.wif4j.spi.support.SafePaths;
import dev.wif4j.spi.support.Text;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.LinkOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code wif4j token-file}. */
@Command(name = "token-file", description = "Keep a fresh identity token in a file, for any program that reads "
        + "ANTHROPIC_IDENTITY_TOKEN_FILE (other SDKs, Claude Code). The file is replaced atomically, mode 0600, at "
        + "each token's half-life; SIGTERM stops it cleanly.")
final class TokenFileCommand extends Subcommand {

    private static final Duration MIN_PAUSE = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
    /** How long SIGTERM waits for the loop to log that it stopped. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(1);
    /** Pseudo-file systems: a "file" there is a device or a kernel interface, never a token file. */
    private static final List<String> SPECIAL = List.of("/dev", "/proc", "/sys");
    private static final SecureRandom RANDOM = new SecureRandom();

    @Option(names = "--out", required = true, paramLabel = "PATH", description = "The token file.")
    Path out;

    @Option(names = "--once", description = "Write one token and exit.")
    boolean once;

    @Override
    public Integer call() {
        PrintWriter log = err();
        Clock clock = root.context() != null ? root.context().clock() : Clock.systemUTC();
        // Every check on the target comes before a token is fetched (and its jti spent).
        Path target = checkTarget(out);
        Thread worker = Thread.currentThread();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            worker.interrupt();
            try {
                // Not join(): after "stopped" the worker is inside System.exit, waiting for this hook.
                stopped.await(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "wif4j-token-file-stop");
        boolean hooked = root.context() == null; // a real process: SIGTERM runs shutdown hooks
        if (hooked) {
            Runtime.getRuntime().addShutdownHook(hook);
        }
        // The file provider must not read the file this command writes.
        try (IdentityTokenSource source = root.builder().setting("disabled.providers", "file,literal")
                .openIdentityTokenSource()) {
            Duration backoff = MIN_PAUSE;
            while (!Thread.currentThread().isInterrupted()) {
                Duration pause;
                try {
                    IdentityToken token = source.fetch();
                    write(target, token.serialized());
                    Instant now = clock.instant();
                    // The subject is the issuer's text: a line break in it must not forge a log line.
                    log.println(now + " wrote a token for " + Text.escape(token.subject().orElse("?"), 200) + " to "
                            + shown(target) + token.expiresAt().map(e -> ", valid until " + e).orElse(""));
                    log.flush();
                    if (once) {
                        return 0;
                    }
                    pause = halfLife(token, now);
                    backoff = MIN_PAUSE;
                } catch (IdentityTokenException | WorkloadIdentityException e) {
                    // The source is the provider's own (SPI level): its failures are IdentityTokenExceptions.
                    if (once) {
                        throw e;
                    }
                    pause = backoff;
                    log.println(clock.instant() + " could not refresh the token: " + Text.escape(e.getMessage(), 2000)
                            + " Retrying in " + pause.toSeconds() + " s.");
                    log.flush();
                    backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                }
                try {
                    Thread.sleep(pause.toMillis());
                } catch (InterruptedException e) {
                    break;
                }
            }
            log.println(clock.instant() + " stopped; " + shown(target) + " keeps the last token.");
            log.flush();
            return 0;
        } finally {
            stopped.countDown();
            if (hooked) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // Already shutting down: the hook is running.
                }
            }
        }
    }

    /** The pause until half the token's life has passed, so a reader never sees it near expiry. */
    static Duration halfLife(IdentityToken token, Instant now) {
        Instant exp = token.expiresAt().orElse(null);
        if (exp == null) {
            return Duration.ofMinutes(5);
        }
        Instant iat = token.issuedAt().orElse(now);
        Instant refreshAt = iat.plus(Duration.between(iat, exp).dividedBy(2));
        Duration pause = Duration.between(now, refreshAt);
        return pause.compareTo(MIN_PAUSE) < 0 ? MIN_PAUSE : pause;
    }

    /**
     * The target, refused unless a regular file may safely live there: not a directory, device, FIFO or
     * socket, nothing under {@code /dev}, {@code /proc} or {@code /sys}, and no directory on the way to it,
     * from the root down, that another user could change (owned by another user than this one or root, or
     * writable by others without the sticky bit): one such ancestor lets another user swap a subdirectory,
     * and the token file with it. The path returned has its links resolved, so nobody can repoint one later.
     */
    static Path checkTarget(Path out) {
        if (out.toString().equals("-")) {
            throw new WorkloadIdentityException("--out - is not supported: token-file keeps a file fresh for other "
                    + "programs. To print one identity token, run 'wif4j identity-token'.");
        }
        Path target = out.toAbsolutePath().normalize();
        if (target.getParent() == null) {
            throw new WorkloadIdentityException("--out " + shown(target) + " is the root directory; --out names the "
                    + "token file to write, e.g. /var/run/wif4j/token.");
        }
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new WorkloadIdentityException("--out " + shown(target) + " is a directory; name the token file "
                    + "inside it, e.g. " + shown(target.resolve("token")) + ".");
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)
                && !Files.isSymbolicLink(target)) {
            throw new WorkloadIdentityException("--out " + shown(target) + " is not a regular file (a device, a FIFO "
                    + "or a socket); token-file writes regular files only.");
        }
        Path dir;
        try {
            dir = target.getParent().toRealPath();
        } catch (IOException e) {
            throw new WorkloadIdentityException("The directory of " + shown(target) + " does not exist.");
        }
        for (String special : SPECIAL) {
            if (dir.startsWith(special) || target.startsWith(special)) {
                throw new WorkloadIdentityException("--out " + shown(target) + " is under " + special + ", where files "
                        + "are devices or kernel interfaces; token-file writes regular files only.");
            }
        }
        if (!Files.isDirectory(dir)) {
            throw new WorkloadIdentityException("The directory of " + shown(target) + " does not exist.");
        }
        try {
            dir = SafePaths.checkDirectory(dir);
        } catch (SafePaths.UnsafePathException e) {
            boolean self = e.path().equals(dir);
            throw new WorkloadIdentityException("The directory " + e.getMessage()
                    + (self ? "" : "; it is above the token file's directory " + shown(dir))
                    + ", so another user (or another container sharing the volume) could swap "
                    + (self ? "the token file" : "a directory on the way, and the token file with it,")
                    + " for a link of their own. Write into a directory only this user or root can change (chown, "
                    + "chmod go-w), below no directory others can, or one with the sticky bit (chmod +t).");
        } catch (IOException e) {
            throw new WorkloadIdentityException("The directory of " + shown(target) + " cannot be checked: "
                    + e.getClass().getSimpleName() + ".", e);
        }
        return dir.resolve(target.getFileName());
    }

    /** A path for a message or a log line: escaped, since --out may hold anything, even a line break. */
    private static String shown(Path path) {
        return Text.escape(path.toString(), 500);
    }

    /**
     * Writes beside the target and renames over it, so a reader sees the old token or the new, never
     * half. The temporary file is created with {@code O_EXCL} (a link planted at its name makes the
     * creation fail instead of being followed) and written through that same descriptor.
     */
    static void write(Path target, String token) {
        Path dir = target.getParent();
        Path temp = dir.resolve("." + target.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36)
                + ".tmp");
        boolean created = false;
        try {
            Set<StandardOpenOption> options = EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            FileAttribute<?>[] attributes = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                    : new FileAttribute<?>[0];
            try (FileChannel channel = FileChannel.open(temp, options, attributes)) {
                created = true;
                ByteBuffer bytes = ByteBuffer.wrap(token.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            created = false;
        } catch (IOException e) {
            throw new WorkloadIdentityException("Cannot write " + shown(target) + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " (" + Text.escape(e.getMessage(), 600) + ")") + ".", e);
        } finally {
            if (created) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // Best effort: a stray temp file is harmless.
                }
            }
        }
    }
}
