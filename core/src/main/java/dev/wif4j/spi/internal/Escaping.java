package dev.wif4j.spi.internal;

/**
 * Escaping for messages and log lines, below the SPI so that its value types ({@code IdentityToken}) can use it;
 * {@code dev.wif4j.spi.support.Text} is its public face.
 */
public final class Escaping {
    private Escaping() {}

    /**
     * A value escaped: CR, LF and tab as {@code \r}, {@code \n}, {@code \t}, a backslash doubled, other control
     * and non-ASCII characters as {@code \}{@code uXXXX}, cut after {@code limit} characters with
     * {@code ... (N characters)}.
     *
     * @param value the value; may be {@code null}
     * @param limit the most characters of the value to show, at least 1
     * @return the escaped text; {@code null} shows as {@code null}
     */
    public static String escape(String value, int limit) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), limit) + 16);
        int shown = Math.min(value.length(), Math.max(1, limit));
        for (int i = 0; i < shown; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (shown < value.length()) {
            out.append("... (").append(value.length()).append(" characters)");
        }
        return out.toString();
    }
}
