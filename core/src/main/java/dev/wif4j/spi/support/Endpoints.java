package dev.wif4j.spi.support;

import dev.wif4j.spi.internal.Redaction;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The one rule for a URL that a token is sent to or fetched from: {@code https}, or plain
 * {@code http} only to a loopback host written as {@code localhost}, {@code 127.0.0.1} or
 * {@code [::1]}, which is where emulators and local sidecars listen. Nothing is resolved to decide
 * this: a name that resolves to loopback today may not tomorrow. wif4j's base URL ({@code ANTHROPIC_BASE_URL}) is checked by the same rule.
 */
public final class Endpoints {

    private Endpoints() {}

    /**
     * Whether a host is written as {@code localhost}, {@code 127.0.0.1} or {@code ::1} (brackets allowed).
     *
     * @param host a host as written in a URL; may be {@code null}
     * @return {@code true} for those three spellings only
     */
    public static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        // Exactly these three: 127.0.0.2, ::ffff:127.0.0.1 and 2130706433 are loopback too, but no emulator
        // needs them, and each is one more spelling for a reviewer to get wrong.
        return h.equalsIgnoreCase("localhost") || h.equals("127.0.0.1") || h.equals("::1");
    }

    /**
     * A URL for a message, with nothing in it that may hold a secret: its scheme, host and port alone,
     * quoted and escaped, e.g. {@code 'https://api.example.com:8443'}. User info, path, query and
     * fragment are left out, since a key in a query or a password in user info would otherwise be
     * printed. A value with no host that can be read (not a URL, or a password holding {@code /},
     * which makes the rest of the URL look like a path) is described by its length alone.
     *
     * @param url the URL as configured; may be {@code null}
     * @return e.g. {@code 'https://api.example.com'}, or {@code (a value of 23 characters, not shown:
     *     no host can be read from it)}
     */
    public static String describe(String url) {
        if (url == null) {
            return "(none)";
        }
        String text = url.strip();
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            uri = null;
        }
        // An '@' after the host is a password with a '/' in it ("https://user:12/ab@host"): what Java
        // took for the host and port may be the user name and the password's first characters.
        if (uri == null || uri.getScheme() == null || uri.getHost() == null
                || uri.getRawPath() != null && uri.getRawPath().contains("@")) {
            return "(a value of " + text.length() + " characters, not shown: no host can be read from it)";
        }
        String shown = uri.getScheme() + "://" + uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : "");
        return "'" + Text.escape(Redaction.scrub(shown), 200) + "'";
    }

    /**
     * Parses and checks an endpoint URL: absolute, {@code https} or {@code http} to a loopback host,
     * with a host, and with no user info (credentials do not belong in a URL) and no fragment. A query
     * is allowed (some token services carry one).
     *
     * @param text the URL as configured
     * @return the URL
     * @throws IllegalArgumentException with a sentence saying what is wrong and what is allowed; the
     *     sentence does not repeat the URL, so callers name the setting it came from
     */
    public static URI parse(String text) {
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("it is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new IllegalArgumentException("it is not an absolute https:// URL with a host");
        }
        if (scheme.equals("http") && !isLoopback(uri.getHost())) {
            throw new IllegalArgumentException("it is http:// to " + uri.getHost() + ", which would send tokens in "
                    + "clear text: use https://, or http:// only to localhost, 127.0.0.1 or [::1]");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("it carries user info before the host; credentials do not belong "
                    + "in a URL");
        }
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException("it carries a fragment (#...)");
        }
        return uri;
    }
}
