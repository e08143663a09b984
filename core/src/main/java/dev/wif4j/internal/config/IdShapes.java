package dev.wif4j.internal.config;

/**
 * The shapes of Anthropic's ids and of profile names, checked by hand rather than by regular expressions: every
 * {@code build()} checks them, and compiling patterns is a measurable part of a cold start.
 */
final class IdShapes {
    private static final int MAX_SUFFIX = 128;
    private static final int MAX_PROFILE_NAME = 128;

    private IdShapes() {}

    /**
     * Whether a value is the prefix followed by 1–128 ASCII letters and digits ({@code fdrl_…}, {@code svac_…}).
     *
     * @param value the value
     * @param prefix e.g. {@code fdrl_}
     * @return {@code true} if well-formed
     */
    static boolean prefixed(String value, String prefix) {
        int suffix = value.length() - prefix.length();
        if (!value.startsWith(prefix) || suffix < 1 || suffix > MAX_SUFFIX) {
            return false;
        }
        for (int i = prefix.length(); i < value.length(); i++) {
            if (!isAsciiLetterOrDigit(value.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a value is a UUID in its 8-4-4-4-12 hexadecimal form, either case.
     *
     * @param value the value
     * @return {@code true} if well-formed
     */
    static boolean uuid(String value) {
        if (value.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = value.charAt(i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? c != '-' : !isHex(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a value is a profile name: 1–128 ASCII letters, digits, {@code _}, {@code -} and {@code .}, not
     * starting with {@code .} and holding no {@code ..}.
     *
     * @param value the value
     * @return {@code true} if well-formed
     */
    static boolean profileName(String value) {
        if (value.isEmpty() || value.length() > MAX_PROFILE_NAME || value.charAt(0) == '.' || value.contains("..")) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!isAsciiLetterOrDigit(c) && c != '_' && c != '-' && c != '.') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
