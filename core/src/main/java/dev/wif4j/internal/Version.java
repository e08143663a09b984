package dev.wif4j.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** wif4j's version, from a resource the build writes, for the {@code User-Agent} header. */
public final class Version {
    private static final String VERSION = load();

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
        return "wif4j/" + VERSION + " (Java " + Runtime.version() + "; provider " + provider + ")";
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
