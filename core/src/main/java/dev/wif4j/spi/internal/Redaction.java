package dev.wif4j.spi.internal;

import java.util.regex.Pattern;

/** Keeps secrets out of messages: the one place that decides how a secret may be shown. */
public final class Redaction {
    /** A JWT (three base64url parts, the first two JSON objects) or an Anthropic key or token. */
    private static final Pattern SECRET = Pattern.compile(
            "eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*\\.?[A-Za-z0-9_-]*|sk-ant-[A-Za-z0-9]+-[A-Za-z0-9_-]+");

    private Redaction() {}

    /**
     * A secret shown as its last four characters, or only stars if it is too short for even
     * that to be safe.
     *
     * @param secret the secret; may be {@code null}
     * @return e.g. {@code "...x9Qa"}
     */
    public static String lastFour(String secret) {
        if (secret == null) {
            return "null";
        }
        if (secret.length() < 12) {
            return "****";
        }
        return "..." + secret.substring(secret.length() - 4);
    }

    /**
     * Replaces anything that looks like a JWT or an Anthropic token in free text (a server's
     * error message may echo what it was sent).
     *
     * @param text the text; may be {@code null}
     * @return the text with each secret shown as its last four characters
     */
    public static String scrub(String text) {
        if (text == null) {
            return null;
        }
        // Both shapes start with a fixed prefix: most text holds neither, and needs no regular expression.
        if (!text.contains("eyJ") && !text.contains("sk-ant-")) {
            return text;
        }
        return SECRET.matcher(text).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(
                "[redacted " + lastFour(m.group()) + "]"));
    }
}
