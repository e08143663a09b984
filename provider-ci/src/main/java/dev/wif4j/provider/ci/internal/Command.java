package dev.wif4j.provider.ci.internal;

import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.support.Text;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * One run of a CI system's command-line tool that prints an identity token: no shell (the arguments are a list,
 * never a command line), stdin closed, an allow-listed environment, the tool refused when others could have changed
 * it, the whole run bounded by a deadline, stdout capped, and stderr shown in a failure only when the user asked for
 * it, scrubbed of anything shaped like a token and escaped. The run ends when the tool exits: its output is read
 * for a short grace after that, and whatever the tool left running is killed, so a child holding the output open
 * neither delays the token nor outlives the run.
 */
public final class Command {
    /** How much stderr is kept for a message; the rest is read and dropped so the tool never blocks on it. */
    private static final int MAX_STDERR_BYTES = 4 * 1024;
    /** How long the output may stay open after the tool exits, for the reader to take what the tool wrote. */
    static final Duration GRACE = Duration.ofMillis(250);
    /**
     * Put into the tool's environment with a value new for every run. A child the tool leaves behind is re-parented
     * when the tool exits, so {@link ProcessHandle#descendants()} no longer finds it; its environment still carries
     * this, which is how it is found (Linux, through /proc).
     */
    static final String RUN_MARKER = "WIF4J_CI_TOOL_RUN";
    /** The most of a process's environment read when looking for {@link #RUN_MARKER}. */
    private static final int MAX_ENVIRON_BYTES = 256 * 1024;

    private final Path executable;
    private final List<String> arguments;
    private final Map<String, String> environment;
    private final String showStderrHint;
    private final boolean showStderr;
    private final String shown;

    /**
     * A command.
     *
     * @param executable the tool, found on PATH
     * @param arguments its arguments
     * @param environment the tool's whole environment
     * @param showStderr whether a failure quotes the tool's stderr (scrubbed and escaped)
     * @param showStderrHint how a user asks for that, e.g. {@code WIF4J_CI_TOOL_STDERR=show}
     */
    public Command(Path executable, List<String> arguments, Map<String, String> environment, boolean showStderr,
            String showStderrHint) {
        this.executable = executable;
        this.arguments = List.copyOf(arguments);
        this.environment = Map.copyOf(environment);
        this.showStderr = showStderr;
        this.showStderrHint = showStderrHint;
        // Arguments carry settings (the audience): escaped, a message stays one line whatever they hold.
        this.shown = Text.escape(executable.getFileName().toString()) + " "
                + this.arguments.stream().map(Text::escape).collect(Collectors.joining(" "));
    }

    /** @return the command as messages show it: the tool's name and its arguments (none of them secret), escaped */
    public String shown() {
        return shown;
    }

    /** @return the tool's path */
    public Path executable() {
        return executable;
    }

    /** @return the tool's path as messages show it, escaped */
    public String shownPath() {
        return Text.escape(executable.toString());
    }

    /** @return the names of the variables the tool is run with */
    public List<String> environmentNames() {
        return List.copyOf(new LinkedHashMap<>(environment).keySet());
    }

    /**
     * Runs the command once.
     *
     * @param timeout the whole run's budget, output included
     * @param maxStdoutBytes the most stdout accepted
     * @return stdout, stripped
     * @throws IdentityTokenException retryable when the tool timed out or failed (it calls its CI's service, whose
     *     failures are mostly passing ones); not retryable when it cannot be started, is not executable, may have
     *     been changed by another user, or printed too much
     */
    public String run(Duration timeout, int maxStdoutBytes) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Optional<String> untrusted = Executables.untrusted(executable);
        if (untrusted.isPresent()) {
            throw new IdentityTokenException(shown + " is not run: " + untrusted.get() + ".", null, false);
        }
        List<String> commandLine = new ArrayList<>();
        commandLine.add(executable.toString());
        commandLine.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(commandLine);
        builder.environment().clear();
        builder.environment().putAll(environment);
        String marker = UUID.randomUUID().toString();
        builder.environment().put(RUN_MARKER, marker);
        Process process;
        try {
            process = builder.start();
        } catch (IOException | RuntimeException e) {
            throw new IdentityTokenException("Cannot run " + shown + " (" + shownPath() + "): "
                    + Text.escape(e.getMessage()) + ".", e);
        }
        try {
            process.getOutputStream().close();
            Output stdout = Output.read(process.getInputStream(), maxStdoutBytes + 1, false);
            Output stderr = Output.read(process.getErrorStream(), MAX_STDERR_BYTES, true);
            CompletableFuture.anyOf(process.onExit(), stdout.full).get(remaining(deadline), TimeUnit.NANOSECONDS);
            if (stdout.size() > maxStdoutBytes) {
                throw new IdentityTokenException(shown + " printed more than " + maxStdoutBytes
                        + " bytes: that is not one identity token.");
            }
            // The tool has exited. A child it started may hold the output open: read for a grace, then stop.
            long graceEnd = Math.min(deadline, System.nanoTime() + GRACE.toNanos());
            stdout.awaitEnd(graceEnd);
            stderr.awaitEnd(graceEnd);
            byte[] out = stdout.bytes();
            if (out.length > maxStdoutBytes) {
                throw new IdentityTokenException(shown + " printed more than " + maxStdoutBytes
                        + " bytes: that is not one identity token.");
            }
            if (stdout.failure != null) {
                throw new IdentityTokenException("Cannot read the output of " + shown + ".", stdout.failure, true);
            }
            int status = process.exitValue();
            if (status != 0) {
                String said = said(new String(stderr.bytes(), StandardCharsets.UTF_8),
                        new String(out, StandardCharsets.UTF_8));
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
            stop(process, marker);
        }
    }

    /** What stderr said, for a message: nothing unless asked for; then scrubbed, escaped and cut. */
    private String said(String stderr, String stdout) {
        String text = stderr.strip();
        if (text.isEmpty()) {
            return "";
        }
        if (!showStderr) {
            return " (its error output is not shown; " + showStderrHint + " shows it, with anything shaped like a "
                    + "token redacted)";
        }
        String printed = stdout.strip();
        if (!printed.isEmpty() && text.contains(printed)) {
            return " (its error output is not shown: it repeats what the tool printed)";
        }
        return ": " + Text.scrub(text);
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    /**
     * Kills the tool and whatever it started while it ran, then whatever carries this run's marker: a child left
     * running after the tool exited would keep the pipes, and the CI job, busy. The marker is searched for whether
     * or not the output still looks held: that is no signal, as the JDK drains and closes a process's pipes when it
     * sees the process exit, unless a read is in progress at that moment.
     */
    private static void stop(Process process, String marker) {
        if (process.isAlive()) {
            try {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
            } catch (UnsupportedOperationException | SecurityException e) {
                // Nothing more can be done than killing the tool itself.
            }
            process.destroyForcibly();
        }
        stopMarked(marker);
    }

    /**
     * Kills every process whose environment holds this run's marker (Linux; elsewhere nothing). The marker is new for
     * every run, so only the tool's own leftovers carry it. Start times are not used to narrow the search: the JDK
     * derives them from the boot time, which is off by seconds on a machine whose clock was stepped after boot.
     */
    private static void stopMarked(String marker) {
        // The real /proc, not the context's file system: these are real processes.
        Path proc = Path.of("/proc");
        if (!Files.isDirectory(proc)) {
            return;
        }
        byte[] needle = (RUN_MARKER + "=" + marker).getBytes(StandardCharsets.US_ASCII);
        long self = ProcessHandle.current().pid();
        try {
            ProcessHandle.allProcesses()
                    .filter(p -> p.pid() != self)
                    .filter(p -> holds(proc.resolve(Long.toString(p.pid())).resolve("environ"), needle))
                    .forEach(p -> {
                        p.descendants().forEach(ProcessHandle::destroyForcibly);
                        p.destroyForcibly();
                    });
        } catch (UnsupportedOperationException | SecurityException e) {
            // Cannot list processes here: the leftover lives until it ends on its own.
        }
    }

    private static boolean holds(Path environ, byte[] needle) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(environ)) {
            bytes = in.readNBytes(MAX_ENVIRON_BYTES);
        } catch (IOException | RuntimeException e) {
            return false; // gone, or another user's
        }
        outer:
        for (int i = 0; i + needle.length <= bytes.length; i++) {
            if (i > 0 && bytes[i - 1] != 0) {
                continue;
            }
            for (int j = 0; j < needle.length; j++) {
                if (bytes[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i + needle.length == bytes.length || bytes[i + needle.length] == 0;
        }
        return false;
    }

    @Override
    public String toString() {
        return "Command[" + shown + "]";
    }

    /**
     * One of the tool's output streams, read on a daemon thread as it comes, so that what was read so far can be
     * taken at any time. Up to {@code limit} bytes are kept; then reading stops ({@link #full} completes), or, when
     * draining, the rest is read and dropped (stderr must never fill its pipe and stall the tool).
     */
    private static final class Output implements Runnable {
        private final InputStream in;
        private final int limit;
        private final boolean drain;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final CountDownLatch end = new CountDownLatch(1);
        final CompletableFuture<Void> full = new CompletableFuture<>();
        volatile IOException failure;

        private Output(InputStream in, int limit, boolean drain) {
            this.in = in;
            this.limit = limit;
            this.drain = drain;
        }

        static Output read(InputStream in, int limit, boolean drain) {
            Output output = new Output(in, limit, drain);
            Thread thread = new Thread(output, "wif4j-ci-command-output");
            thread.setDaemon(true);
            thread.start();
            return output;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    synchronized (kept) {
                        kept.write(buffer, 0, Math.min(n, limit - kept.size()));
                    }
                    if (size() >= limit && !drain) {
                        full.complete(null);
                        return;
                    }
                }
            } catch (IOException e) {
                failure = e;
            } finally {
                end.countDown();
            }
        }

        int size() {
            synchronized (kept) {
                return kept.size();
            }
        }

        byte[] bytes() {
            synchronized (kept) {
                return kept.toByteArray();
            }
        }

        void awaitEnd(long deadline) throws InterruptedException {
            end.await(remaining(deadline), TimeUnit.NANOSECONDS);
        }
    }
}
