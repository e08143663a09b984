package dev.wif4j.buildsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A stand-in for a CI system's command-line tool ({@code buildkite-agent}, {@code circleci}): a small POSIX shell
 * script written where the test says, which records its arguments and then plays the next queued behaviour, once
 * each and in order: print a token (minted by the test's {@code OidcIssuer}), fail with a status and an error
 * output, sleep, or flood stdout. With nothing queued it fails with status 1.
 *
 * <pre>{@code
 * StandInCommand agent = StandInCommand.install(root.resolve("usr/local/bin/buildkite-agent"))
 *         .printing(CiEnvironments.buildkiteToken(issuer, "https://api.anthropic.com").sign());
 * }</pre>
 *
 * <p>Needs {@code /bin/sh} (Linux, macOS). Not thread-safe: one run at a time.
 */
public final class StandInCommand {
    private static final Pattern JWT_SAFE = Pattern.compile("[A-Za-z0-9._-]*");

    private final Path executable;
    private final Path state;
    private final AtomicInteger queued = new AtomicInteger();

    private StandInCommand(Path executable) throws IOException {
        this.executable = executable;
        this.state = Files.createDirectories(executable.resolveSibling("." + executable.getFileName() + "-stand-in"));
        Files.createDirectories(state.resolve("queue"));
        Files.createDirectories(state.resolve("taken"));
        Files.writeString(state.resolve("calls"), "");
        String script = "#!/bin/sh\n"
                + "state=" + quote(state.toString()) + "\n"
                + "for arg in \"$@\"; do printf '%s\\037' \"$arg\" >> \"$state/calls\"; done\n"
                + "printf '\\n' >> \"$state/calls\"\n"
                + "for next in \"$state\"/queue/*.sh; do\n"
                + "  [ -f \"$next\" ] || break\n"
                + "  taken=\"$state/taken/${next##*/}\"\n"
                + "  mv \"$next\" \"$taken\"\n"
                + "  exec /bin/sh \"$taken\"\n"
                + "done\n"
                + "echo \"stand-in $0: nothing queued\" >&2\n"
                + "exit 1\n";
        Files.createDirectories(executable.getParent());
        Files.writeString(executable, script, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(executable, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /**
     * Writes the stand-in.
     *
     * @param executable where to write it, e.g. {@code <fake root>/usr/local/bin/buildkite-agent}
     * @return the stand-in, with nothing queued
     */
    public static StandInCommand install(Path executable) {
        try {
            return new StandInCommand(Objects.requireNonNull(executable));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the stand-in " + executable, e);
        }
    }

    /** @return the script's path */
    public Path path() {
        return executable;
    }

    /**
     * Queues a run that prints a token and exits 0.
     *
     * @param jwt the token, e.g. from {@code OidcIssuer.mint()}
     * @return this stand-in
     */
    public StandInCommand printing(String jwt) {
        if (!JWT_SAFE.matcher(jwt).matches()) {
            throw new IllegalArgumentException("a stand-in prints a compact JWT: base64url parts joined by dots");
        }
        return queue("printf '%s\\n' '" + jwt + "'\n");
    }

    /**
     * Queues a run that writes to stderr and exits with a status.
     *
     * @param status the exit status
     * @param stderr what it writes to stderr
     * @return this stand-in
     */
    public StandInCommand failing(int status, String stderr) {
        return queue("printf '%s\\n' " + quote(stderr) + " >&2\nexit " + status + "\n");
    }

    /**
     * Queues a run that sleeps, printing nothing, as a tool stuck on its network call would.
     *
     * @param duration how long, rounded up to whole seconds
     * @return this stand-in
     */
    public StandInCommand sleeping(Duration duration) {
        long seconds = Math.max(1, (duration.toMillis() + 999) / 1000);
        return queue("exec sleep " + seconds + "\n");
    }

    /**
     * Queues a run that prints this many bytes of {@code a} to stdout.
     *
     * @param bytes how many
     * @return this stand-in
     */
    public StandInCommand flooding(long bytes) {
        return queue("head -c " + bytes + " /dev/zero | tr '\\000' 'a'\n");
    }

    /**
     * The arguments of every run so far, in order.
     *
     * @return one list of arguments per run
     */
    public List<List<String>> calls() {
        try {
            List<List<String>> calls = new ArrayList<>();
            for (String line : Files.readAllLines(state.resolve("calls"), StandardCharsets.UTF_8)) {
                List<String> args = new ArrayList<>(Arrays.asList(line.split("\u001f", -1)));
                args.remove(args.size() - 1); // each argument ends with the separator
                calls.add(List.copyOf(args));
            }
            return List.copyOf(calls);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private StandInCommand queue(String snippet) {
        Path file = state.resolve("queue").resolve(String.format("%06d.sh", queued.incrementAndGet()));
        try {
            Files.writeString(file, snippet, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Single-quotes a value for sh. */
    private static String quote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }

    @Override
    public String toString() {
        return "StandInCommand[" + executable + "]";
    }
}
