package dev.wif4j.spi.support;

import dev.wif4j.spi.internal.Escaping;
import dev.wif4j.spi.internal.Redaction;

/**
 * Values quoted into messages so that a message stays one readable line whatever the value holds:
 * control characters are escaped, and a long value is cut with its length said. Secrets are never
 * passed here: a message names the setting that holds a secret, never its value.
 */
public final class Text {
    /** How much of a value a message shows by default. */
    public static final int DEFAULT_LIMIT = 80;
    /** How much of a longer value (an issuer, a claim, a path, an upstream's own words) a message shows. */
    public static final int MESSAGE_LIMIT = 200;

    private Text() {}

    /**
     * A value in single quotes, escaped and cut at {@value #DEFAULT_LIMIT} characters.
     *
     * @param value the value; may be {@code null}
     * @return e.g. {@code 'us-east-1\n'}
     */
    public static String quote(String value) {
        return "'" + escape(value, DEFAULT_LIMIT) + "'";
    }

    /**
     * A value {@linkplain #escape(String, int) escaped} and cut at {@value #MESSAGE_LIMIT} characters, not quoted:
     * for issuers, subjects, claims, paths and ids put into a message or a log line.
     *
     * @param value the value; may be {@code null}
     * @return the escaped text; {@code null} shows as {@code null}
     */
    public static String escape(String value) {
        return escape(value, MESSAGE_LIMIT);
    }

    /**
     * Free text from elsewhere {@linkplain #scrub(String, int) scrubbed}, escaped and cut at {@value #MESSAGE_LIMIT}
     * characters: a tool's error output, a server's error description, an exception's message.
     *
     * @param value the text; may be {@code null}
     * @return the scrubbed, escaped text; {@code null} shows as {@code null}
     */
    public static String scrub(String value) {
        return scrub(value, MESSAGE_LIMIT);
    }

    /**
     * Free text from elsewhere (a tool's error output, a server's message) made fit for a message: anything shaped
     * like a JWT or an Anthropic key or token is replaced by {@code [redacted ...x9Qa]} (its last four characters),
     * the same rule wif4j's own messages follow, and the rest is {@linkplain #escape(String, int) escaped and cut}.
     * Other secrets have no recognisable shape: text that may hold them is not to be shown at all.
     *
     * @param value the text; may be {@code null}
     * @param limit the most characters to show, at least 1
     * @return the scrubbed, escaped text; {@code null} shows as {@code null}
     */
    public static String scrub(String value, int limit) {
        return escape(Redaction.scrub(value), limit);
    }

    /**
     * A value escaped for a message: CR, LF and tab as {@code \r}, {@code \n}, {@code \t}, other control
     * and non-ASCII characters as {@code \}{@code uXXXX}, cut after {@code limit} characters with
     * {@code ... (N characters)}.
     *
     * @param value the value; may be {@code null}
     * @param limit the most characters of the value to show, at least 1
     * @return the escaped text; {@code null} shows as {@code null}
     */
    public static String escape(String value, int limit) {
        return Escaping.escape(value, limit);
    }
}
