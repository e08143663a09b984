package dev.wif4j.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** wif4j's version, from a resource the build writes, for the {@code User-Agent} header. */
public final class Version {
    private static final String VERSION = load();
    /**
     * What {@code Runtime.version()} prints, read as it reads it: its {@code toString()} joins the numbers with a
     * stream, a cold start's first.
     */
    private static final String JAVA = javaVersion();

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

    private static String javaVersion() {
        String property = System.getProperty("java.runtime.version");
        return property != null ? property : Runtime.version().toString();
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
