package dev.wif4j.cli;

import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.WorkloadIdentityException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code wif4j token-file}. */
@Command(name = "token-file", description = "Keep a fresh identity token in a file, for any program that reads "
        + "ANTHROPIC_IDENTITY_TOKEN_FILE (other SDKs, Claude Code). The file is replaced atomically, mode 0600, at "
        + "each token's half-life; SIGTERM stops it cleanly.")
final class TokenFileCommand implements Callable<Integer> {

    private static final Duration MIN_PAUSE = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

    @ParentCommand
    Wif4jCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "PATH", description = "The token file.")
    Path out;

    @Option(names = "--once", description = "Write one token and exit.")
    boolean once;

    @Override
    public Integer call() {
        PrintWriter log = spec.commandLine().getErr();
        Clock clock = root.context() != null ? root.context().clock() : Clock.systemUTC();
        Path target = out.toAbsolutePath();
        if (target.getParent() == null || !Files.isDirectory(target.getParent())) {
            throw new WorkloadIdentityException("The directory of " + target + " does not exist.");
        }
        Thread worker = Thread.currentThread();
        Thread hook = new Thread(() -> {
            worker.interrupt();
            try {
                worker.join(5000);
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
                    log.println(now + " wrote a token for " + token.subject().orElse("?") + " to " + target
                            + token.expiresAt().map(e -> ", valid until " + e).orElse(""));
                    log.flush();
                    if (once) {
                        return 0;
                    }
                    pause = halfLife(token, now);
                    backoff = MIN_PAUSE;
                } catch (WorkloadIdentityException e) {
                    if (once) {
                        throw e;
                    }
                    pause = backoff;
                    log.println(clock.instant() + " could not refresh the token: " + e.getMessage() + " Retrying in "
                            + pause.toSeconds() + " s.");
                    log.flush();
                    backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                }
                try {
                    Thread.sleep(pause.toMillis());
                } catch (InterruptedException e) {
                    break;
                }
            }
            log.println(clock.instant() + " stopped; " + target + " keeps the last token.");
            log.flush();
            return 0;
        } finally {
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

    /** Writes beside the target and renames over it, so a reader sees the old token or the new, never half. */
    static void write(Path target, String token) {
        Path dir = target.getParent();
        Path temp = null;
        try {
            temp = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                    ? Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp",
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(token.getBytes(StandardCharsets.UTF_8)));
                channel.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            temp = null;
        } catch (IOException e) {
            throw new WorkloadIdentityException("Cannot write " + target + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")") + ".", e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // Best effort: a stray temp file is harmless.
                }
            }
        }
    }
}
