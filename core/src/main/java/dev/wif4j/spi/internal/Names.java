package dev.wif4j.spi.internal;

/**
 * The shapes of provider ids and setting keys, checked by hand rather than by regular expressions: detection
 * checks them on every start, and the first pattern a JVM compiles costs a measurable part of a cold start.
 * {@code NamesTest} holds them to the patterns they stand for.
 */
public final class Names {
    private static final int MAX_PROVIDER_ID = 63;

    private Names() {}

    /**
     * Whether a text is a provider id: {@code [a-z][a-z0-9-]{0,62}}.
     *
     * @param id the text; may be {@code null}
     * @return {@code true} if well-formed
     */
    public static boolean isProviderId(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_PROVIDER_ID || !isLower(id.charAt(0))) {
            return false;
        }
        for (int i = 1; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!isLower(c) && !isDigit(c) && c != '-') {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks a provider id.
     *
     * @param id the id
     * @return the id
     * @throws IllegalArgumentException if it is not well-formed
     */
    public static String requireProviderId(String id) {
        if (!isProviderId(id)) {
            throw new IllegalArgumentException("'" + Escaping.escape(String.valueOf(id), 64) + "' is not a provider id: "
                    + "ids are lower-case letters, digits and dashes, starting with a letter, e.g. acme-vault");
        }
        return id;
    }

    /**
     * Whether a text is a setting key: lower-case words and digits joined by single dots,
     * {@code [a-z0-9]+(\.[a-z0-9]+)*}.
     *
     * @param key the text; may be {@code null}
     * @return {@code true} if well-formed
     */
    public static boolean isSettingKey(String key) {
        if (key == null || key.isEmpty()) {
            return false;
        }
        boolean afterDot = true; // the first character, like one after a dot, must be a letter or digit
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '.') {
                if (afterDot) {
                    return false;
                }
                afterDot = true;
            } else if (isLower(c) || isDigit(c)) {
                afterDot = false;
            } else {
                return false;
            }
        }
        return !afterDot;
    }

    private static boolean isLower(char c) {
        return c >= 'a' && c <= 'z';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
