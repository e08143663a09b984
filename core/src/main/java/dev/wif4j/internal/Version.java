package dev.wif4j.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** wif4j's version, from a resource the build writes, for the {@code User-Agent} header. */
public final class Version {
    private static final String VERSION = load();
    private static final String JAVA = text(Runtime.version());

    private Version() {}

    /**
     * The version of wif4j-core.
     *
     * @return e.g. {@code 0.1.0}, or {@code unknown}
     */
    public static String version() {
        return VERSION;
    }

    /**
     * The {@code User-Agent} of the token exchange.
     *
     * @param provider the identity provider in use
     * @return e.g. {@code wif4j/0.1.0 (Java 17.0.15; provider gcp)}
     */
    public static String userAgent(String provider) {
        return "wif4j/" + VERSION + " (Java " + JAVA + "; provider " + provider + ")";
    }

    /**
     * What {@code Runtime.version().toString()} says, built without its stream: a cold JVM's first stream, joining
     * collector and lambdas cost more than the whole string.
     *
     * @param v a version
     * @return e.g. {@code 17.0.15+6-Debian-1deb12u1}
     */
    static String text(Runtime.Version v) {
        StringBuilder text = new StringBuilder();
        for (Integer number : v.version()) {
            text.append(text.length() == 0 ? "" : ".").append(number);
        }
        if (v.pre().isPresent()) {
            text.append('-').append(v.pre().get());
        }
        if (v.build().isPresent()) {
            text.append('+').append(v.build().get());
            if (v.optional().isPresent()) {
                text.append('-').append(v.optional().get());
            }
        } else if (v.optional().isPresent()) {
            text.append(v.pre().isPresent() ? "-" : "+-").append(v.optional().get());
        }
        return text.toString();
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
