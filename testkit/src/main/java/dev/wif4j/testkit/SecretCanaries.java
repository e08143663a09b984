package dev.wif4j.testkit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Proves that no secret reaches anything a user or an operator could see: every log line, every exception (message
 * and {@code toString()}, through causes and suppressed exceptions) and the {@code toString()} of every object a
 * test hands over. Secrets are registered as canaries; {@link #assertNoLeak()} fails if any canary appears whole in
 * any captured text, or if a text holds a line that user-controlled input forged ({@link #forgedLine(String)}).
 *
 * <p>From {@link #start()} to {@link #close()}, all platform logging is captured: a handler on the
 * {@code java.util.logging} root logger, which also receives {@link System.Logger} records, with the root at
 * {@link Level#ALL} (its level is restored on close). Each record is captured as {@link SimpleFormatter} writes it
 * (the message with its parameters, the thrown exception's stack trace), and each parameter on its own as well,
 * since another formatter may print a parameter the message does not name.
 *
 * <p>A failure message names the canary by its last four characters only, the kind of text it was found in, and
 * the surroundings with every canary masked: the report of a failing test never prints a secret.
 *
 * <pre>{@code
 * try (SecretCanaries canaries = SecretCanaries.start().canary(CLIENT_SECRET)) {
 *     try (FakeDetectionContext world = ...; WorkloadIdentity identity = ...) {
 *         canaries.object(identity, identity.settings());
 *         canaries.canary(identity.credentials().token().value());
 *     } catch (RuntimeException e) {
 *         canaries.thrown(e);
 *     }
 *     canaries.context(world);
 *     canaries.assertNoLeak();
 * }
 * }</pre>
 *
 * <p>Thread-safe: records logged from any thread while capturing are kept.
 */
public final class SecretCanaries implements AutoCloseable {

    /** Shorter canaries would match by chance, and their last four characters would show too much of them. */
    private static final int MIN_CANARY_LENGTH = 8;
    private static final int SHOWN = 4;
    /** Characters of masked surroundings shown on each side of a leak. */
    private static final int CONTEXT = 60;

    /** A captured text and what it was (a log record, an exception's message, ...). */
    private record Text(String kind, String text) {}

    private final List<Text> texts = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> canaries = Collections.synchronizedSet(new LinkedHashSet<>());
    private final Set<String> forged = Collections.synchronizedSet(new LinkedHashSet<>());
    private final Logger root = Logger.getLogger("");
    private final Level rootLevel;
    private final Handler handler;
    private boolean closed;

    private SecretCanaries() {
        SimpleFormatter formatter = new SimpleFormatter();
        handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                texts.add(new Text("log record", formatter.format(record)));
                Object[] parameters = record.getParameters();
                if (parameters != null) {
                    for (Object parameter : parameters) {
                        texts.add(new Text("log record parameter", String.valueOf(parameter)));
                    }
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        handler.setLevel(Level.ALL);
        rootLevel = root.getLevel();
        root.addHandler(handler);
        root.setLevel(Level.ALL);
    }

    /**
     * Starts capturing all platform logging ({@code java.util.logging} and {@link System.Logger}) at every level.
     *
     * @return the capture; close it to stop capturing and restore the root logger's level
     */
    public static SecretCanaries start() {
        return new SecretCanaries();
    }

    /**
     * Adds a secret that must never appear whole in any captured text.
     *
     * @param secret the secret, at least 8 characters (a shorter one would match by chance)
     * @return this
     */
    public SecretCanaries canary(String secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length() < MIN_CANARY_LENGTH) {
            throw new IllegalArgumentException("a canary needs at least " + MIN_CANARY_LENGTH
                    + " characters, this one has " + secret.length());
        }
        canaries.add(secret);
        return this;
    }

    /**
     * Adds secrets that must never appear whole in any captured text.
     *
     * @param secrets the secrets, each at least 8 characters
     * @return this
     */
    public SecretCanaries canaries(Collection<String> secrets) {
        secrets.forEach(this::canary);
        return this;
    }

    /**
     * Adds a marker that user-controlled input (a claim, a tool's output) tries to put at the start of a line: no
     * captured text may hold it right after a CR or an LF, as it would if the input's line breaks were not escaped.
     *
     * @param marker the text the input puts after its CR or LF
     * @return this
     */
    public SecretCanaries forgedLine(String marker) {
        if (marker.isEmpty()) {
            throw new IllegalArgumentException("an empty marker would be found after every line break");
        }
        forged.add(marker);
        return this;
    }

    /**
     * Captures a text a user or an operator could see.
     *
     * @param kind what the text is, for the failure message (e.g. {@code "stderr"}); never the text itself
     * @param text the text; {@code null} is ignored
     * @return this
     */
    public SecretCanaries text(String kind, String text) {
        Objects.requireNonNull(kind, "kind");
        if (text != null) {
            texts.add(new Text(kind, text));
        }
        return this;
    }

    /**
     * Captures the {@code toString()} of each object.
     *
     * @param objects the objects; {@code null}s are ignored
     * @return this
     */
    public SecretCanaries object(Object... objects) {
        for (Object o : objects) {
            if (o != null) {
                texts.add(new Text("toString() of " + o.getClass().getName(), o.toString()));
            }
        }
        return this;
    }

    /**
     * Captures the message and the {@code toString()} of an exception, of each of its causes and of every
     * suppressed exception among them.
     *
     * @param thrown the exception
     * @return this
     */
    public SecretCanaries thrown(Throwable thrown) {
        walk(thrown, Collections.newSetFromMap(new IdentityHashMap<>()));
        return this;
    }

    private void walk(Throwable thrown, Set<Throwable> seen) {
        for (Throwable t = thrown; t != null && seen.add(t); t = t.getCause()) {
            String name = t.getClass().getName();
            text("message of " + name, t.getMessage());
            text("toString() of " + name, t.toString());
            for (Throwable suppressed : t.getSuppressed()) {
                walk(suppressed, seen);
            }
        }
    }

    /**
     * Captures the lines logged through a fake context's loggers ({@link FakeDetectionContext#logLines()}).
     *
     * @param context the context
     * @return this
     */
    public SecretCanaries context(FakeDetectionContext context) {
        for (String line : context.logLines()) {
            text("context log line", line);
        }
        return this;
    }

    /** @return every text captured so far (log records, texts, objects, exceptions), in order */
    public List<String> texts() {
        synchronized (texts) {
            return texts.stream().map(Text::text).toList();
        }
    }

    /**
     * @param fragment a fragment of text
     * @return whether some captured text contains it (e.g. that debug logging was on: {@code "FINE"})
     */
    public boolean anyContains(String fragment) {
        return texts().stream().anyMatch(t -> t.contains(fragment));
    }

    /** @return the number of distinct canaries */
    public int canaryCount() {
        return canaries.size();
    }

    /** @return the number of texts captured so far */
    public int textCount() {
        return texts.size();
    }

    /**
     * Every leak found now: one for each canary in each text that holds it, and one for each forged line. Each is
     * described as in {@link #assertNoLeak()}, without the secret.
     *
     * @return the leaks, empty if none
     */
    public List<String> leaks() {
        List<Text> all;
        synchronized (texts) {
            all = List.copyOf(texts);
        }
        List<String> secrets;
        synchronized (canaries) {
            secrets = new ArrayList<>(canaries);
        }
        List<String> markers;
        synchronized (forged) {
            markers = List.copyOf(forged);
        }
        // Longest first: a canary inside another (an encoded form, a token's payload) is masked as part of the longer.
        secrets.sort((a, b) -> b.length() - a.length());
        List<String> leaks = new ArrayList<>();
        for (Text t : all) {
            for (String secret : secrets) {
                int at = t.text().indexOf(secret);
                if (at >= 0) {
                    leaks.add("canary ..." + last(secret) + " in " + t.kind() + ": "
                            + around(t.text(), at, secret.length(), secrets));
                }
            }
            for (String marker : markers) {
                for (String breakChar : List.of("\n", "\r")) {
                    int at = t.text().indexOf(breakChar + marker);
                    if (at >= 0) {
                        leaks.add("a line forged with " + marker + " in " + t.kind() + ": "
                                + around(t.text(), at, 1 + marker.length(), secrets));
                        break;
                    }
                }
            }
        }
        return leaks;
    }

    /** @return the number of leaks found now, as {@link #leaks()} lists them */
    public int leakCount() {
        return leaks().size();
    }

    /**
     * Fails if any canary appears whole in any captured text, or a forged line in any text. The message names each
     * canary by its last four characters and the kind of text it was found in, never the secret.
     *
     * @throws AssertionError if a leak is found, listing every leak
     */
    public void assertNoLeak() {
        List<String> leaks = leaks();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " leaks (" + canaryCount() + " canaries, " + textCount()
                    + " captured texts):\n- " + String.join("\n- ", leaks));
        }
    }

    private static String last(String secret) {
        return secret.substring(secret.length() - SHOWN);
    }

    /** The text around {@code length} characters at {@code at}, each canary masked, line breaks shown as escapes. */
    private static String around(String text, int at, int length, List<String> longestFirst) {
        int from = Math.max(0, at - CONTEXT);
        int to = Math.min(text.length(), at + length + CONTEXT);
        // Masked over the whole text first, so that a canary cut by the window is not shown in part.
        StringBuilder masked = new StringBuilder();
        int shownFrom = -1;
        int shownTo = -1;
        int i = 0;
        while (i < text.length()) {
            String hit = null;
            for (String secret : longestFirst) {
                if (text.startsWith(secret, i)) {
                    hit = secret;
                    break;
                }
            }
            if (i >= from && shownFrom < 0) {
                shownFrom = masked.length();
            }
            if (i >= to && shownTo < 0) {
                shownTo = masked.length();
            }
            if (hit != null) {
                masked.append("[canary ...").append(last(hit)).append(']');
                i += hit.length();
            } else {
                masked.append(text.charAt(i));
                i++;
            }
        }
        String shown = masked.substring(Math.max(shownFrom, 0), shownTo < 0 ? masked.length() : shownTo);
        return (from > 0 ? "..." : "") + shown.replace("\r", "\\r").replace("\n", "\\n")
                + (to < text.length() ? "..." : "");
    }

    /** Stops capturing logging and restores the root logger's level. The captured texts stay readable. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            root.removeHandler(handler);
            root.setLevel(rootLevel);
        }
    }

    /** @return the counts, never a canary */
    @Override
    public String toString() {
        return "SecretCanaries[" + canaryCount() + " canaries, " + textCount() + " captured texts]";
    }
}
