package dev.wif4j.provider.ci.internal;

import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.support.Text;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * One run of a CI system's command-line tool that prints an identity token: no shell (the arguments are a list,
 * never a command line), stdin closed, the whole run bounded by a deadline after which the tool and every process
 * it started are killed, stdout capped, and stderr shown in a failure only when it holds nothing that looks like a
 * token (the same shapes wif4j's own redaction hides: a JWT, an Anthropic key or token).
 */
public final class Command {
    /** A JWT ({@code eyJ...}) or an Anthropic secret, as wif4j's redaction recognises them. */
    private static final Pattern SECRET = Pattern.compile("eyJ[A-Za-z0-9_-]{4,}|sk-ant-[A-Za-z0-9]+-");
    /** How much stderr is kept for a message; the rest is read and dropped so the tool never blocks on it. */
    private static final int MAX_STDERR_BYTES = 4 * 1024;
    /** How much stderr a message shows. */
    private static final int SHOWN_STDERR_CHARS = 300;

    private final Path executable;
    private final List<String> arguments;
    private final String shown;

    /**
     * A command.
     *
     * @param executable the tool, found on PATH
     * @param arguments its arguments
     */
    public Command(Path executable, List<String> arguments) {
        this.executable = executable;
        this.arguments = List.copyOf(arguments);
        this.shown = executable.getFileName() + " " + String.join(" ", this.arguments);
    }

    /** @return the command as messages show it: the tool's name and its arguments (none of them secret) */
    public String shown() {
        return shown;
    }

    /** @return the tool's path */
    public Path executable() {
        return executable;
    }

    /**
     * Runs the command once.
     *
     * @param timeout the whole run's budget, output included
     * @param maxStdoutBytes the most stdout accepted
     * @return stdout, stripped
     * @throws IdentityTokenException retryable when the tool timed out or failed (it calls its CI's service, whose
     *     failures are mostly passing ones); not retryable when it cannot be started, is not executable, or printed
     *     too much
     */
    public String run(Duration timeout, int maxStdoutBytes) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> commandLine = new ArrayList<>();
        commandLine.add(executable.toString());
        commandLine.addAll(arguments);
        Process process;
        try {
            process = new ProcessBuilder(commandLine).start();
        } catch (IOException | RuntimeException e) {
            throw new IdentityTokenException("Cannot run " + shown + " (" + executable + "): "
                    + Text.escape(String.valueOf(e.getMessage()), 200) + ".", e);
        }
        try {
            process.getOutputStream().close();
            FutureTask<byte[]> stdout = reader(process.getInputStream(), maxStdoutBytes + 1, null);
            AtomicReference<byte[]> stderrSoFar = new AtomicReference<>(new byte[0]);
            FutureTask<byte[]> stderr = reader(process.getErrorStream(), MAX_STDERR_BYTES, stderrSoFar);
            byte[] out = stdout.get(remaining(deadline), TimeUnit.NANOSECONDS);
            if (out.length > maxStdoutBytes) {
                kill(process);
                throw new IdentityTokenException(shown + " printed more than " + maxStdoutBytes
                        + " bytes: that is not one identity token.");
            }
            if (!process.waitFor(remaining(deadline), TimeUnit.NANOSECONDS)) {
                throw new TimeoutException();
            }
            int status = process.exitValue();
            if (status != 0) {
                byte[] err = stderrOf(stderr, stderrSoFar);
                String said = said(new String(err, StandardCharsets.UTF_8), new String(out, StandardCharsets.UTF_8));
                // 126 and 127 are the shells' "not executable" and "not found": another attempt fails alike.
                boolean retryable = status != 126 && status != 127;
                throw new IdentityTokenException(shown + " exited with status " + status + said + ".", null, retryable);
            }
            String text = new String(out, StandardCharsets.UTF_8).strip();
            if (text.isEmpty()) {
                throw new IdentityTokenException(shown + " exited with status 0 but printed nothing.", null, true);
            }
            return text;
        } catch (TimeoutException e) {
            throw new IdentityTokenException(shown + " did not finish within " + timeout.toMillis()
                    + " ms and was stopped.", null, true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IdentityTokenException(shown + " was interrupted.", e, true);
        } catch (ExecutionException | IOException e) {
            throw new IdentityTokenException("Cannot read the output of " + shown + ".", e, true);
        } finally {
            kill(process);
        }
    }

    /** What stderr said, for a message: escaped and cut, or withheld entirely when it holds a token. */
    private static String said(String stderr, String stdout) {
        String text = stderr.strip();
        if (text.isEmpty()) {
            return "";
        }
        String printed = stdout.strip();
        if (SECRET.matcher(text).find() || !printed.isEmpty() && text.contains(printed)) {
            return " (its error output is not shown: it holds what looks like a token)";
        }
        return ": " + Text.escape(text, SHOWN_STDERR_CHARS);
    }

    private static byte[] stderrOf(FutureTask<byte[]> stderr, AtomicReference<byte[]> soFar) {
        try {
            // The tool has exited; a child it left behind may still hold stderr open, so wait only briefly.
            return stderr.get(200, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return soFar.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return soFar.get();
        }
    }

    /**
     * Reads up to {@code limit} bytes on a daemon thread. With {@code soFar}, what was read is published there and
     * the rest of the stream is drained and dropped (stderr must never fill its pipe and stall the tool); without
     * it, reading stops at the limit (stdout past the cap means the run is refused anyway).
     */
    private static FutureTask<byte[]> reader(InputStream in, int limit, AtomicReference<byte[]> soFar) {
        FutureTask<byte[]> task = new FutureTask<>(() -> {
            try (in) {
                byte[] bytes = in.readNBytes(limit);
                if (soFar != null) {
                    soFar.set(bytes);
                    in.transferTo(OutputStream.nullOutputStream());
                }
                return bytes;
            }
        });
        Thread thread = new Thread(task, "wif4j-ci-command-output");
        thread.setDaemon(true);
        thread.start();
        return task;
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    /** Kills the tool and whatever it started: a child left running would keep the pipes, and the CI job, busy. */
    private static void kill(Process process) {
        try {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
        } catch (UnsupportedOperationException | SecurityException e) {
            // Nothing more can be done than killing the tool itself.
        }
        process.destroyForcibly();
    }

    @Override
    public String toString() {
        return "Command[" + shown + "]";
    }
}
