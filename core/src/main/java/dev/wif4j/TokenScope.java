package dev.wif4j;

import dev.wif4j.internal.config.ConfigResolver;
import dev.wif4j.internal.env.SystemDetectionContext;
import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.support.Endpoints;
import dev.wif4j.spi.support.Text;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where an access token may be sent (not its OAuth scope, which {@link AccessToken#scope()} holds): to the
 * origin (scheme, host and port) of the configured Anthropic base URL, and to the origins the user allowed,
 * such as a gateway in front of the Claude API; and never over plain {@code http} to a host that is not
 * loopback, even if allowed (the rule the base URL follows, {@link Endpoints}). Every place that attaches a
 * token checks it first: {@link HttpAuthorization}, the official client's interceptor and the Spring
 * starter's. A refused request is not sent, and the token is not even fetched.
 *
 * <p>The allowed origins are one setting: {@code WIF4J_ALLOWED_ORIGINS} (or the system property
 * {@code wif4j.allowed.origins}), comma-separated, e.g. {@code https://gateway.example.com,https://llm.corp:8443};
 * {@link WorkloadIdentityBuilder#allowedOrigin(String)} in code, or {@code wif4j.allowed-origins} in Spring,
 * which win over the variable. Each is {@code scheme://host[:port]}: https, or http to {@code localhost},
 * {@code 127.0.0.1} or {@code [::1]}; no path, query or user info.
 *
 * <p>Immutable and thread-safe. A {@link WorkloadIdentity} has one ({@link WorkloadIdentity#tokenScope()}),
 * which its credentials carry ({@link AnthropicCredentials#tokenScope()}).
 */
public final class TokenScope {
    /** The setting key: {@code wif4j.allowed.origins}, {@code WIF4J_ALLOWED_ORIGINS}. */
    static final String SETTING = "allowed.origins";
    /** How a message tells the user to allow an origin. */
    static final String HOW_TO_ALLOW = "WIF4J_ALLOWED_ORIGINS (wif4j.allowed-origins in Spring, "
            + "WorkloadIdentity.builder().allowedOrigin(...) in code)";
    private static final String DEFAULT_ORIGIN = "https://api.anthropic.com:443";

    private static volatile TokenScope environment;

    /** Normalised {@code scheme://host:port}, for the look-up on every request. */
    private final Set<String> origins;
    /** The same, the base URL's first, in the order given: for messages. */
    private final List<String> ordered;

    private TokenScope(Set<String> origins) {
        this.origins = Set.copyOf(origins);
        this.ordered = List.copyOf(origins);
    }

    /**
     * The scope of a base URL and the origins allowed beside it.
     *
     * @param baseUrl the Anthropic base URL; https, or http to a loopback host
     * @param allowedOrigins further origins, each {@code scheme://host[:port]}; may be empty
     * @return the scope
     * @throws ConfigurationException if an origin is malformed, has a path, query or user info, or is plain
     *     http to a host that is not loopback; the message shows only its scheme, host and port
     */
    public static TokenScope of(URI baseUrl, Collection<String> allowedOrigins) {
        return of(baseUrl, allowedOrigins, "TokenScope.of(...)");
    }

    static TokenScope of(URI baseUrl, Collection<String> allowedOrigins, String where) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Set<String> origins = new LinkedHashSet<>();
        String base = origin(baseUrl).orElse(null);
        if (base == null || (base.startsWith("http:") && !Endpoints.isLoopback(hostOf(baseUrl)))) {
            throw new ConfigurationException("The base URL " + (base == null ? "" : base + " ")
                    + "is not allowed: use https://, or http:// only to localhost, 127.0.0.1 or [::1].");
        }
        origins.add(base);
        int index = 0;
        for (String entry : Objects.requireNonNull(allowedOrigins, "allowedOrigins")) {
            index++;
            origins.add(allowedOrigin(Objects.requireNonNull(entry, "an allowed origin"), index, where));
        }
        return new TokenScope(origins);
    }

    /**
     * The scope when no {@link WorkloadIdentity} is known (credentials implemented elsewhere, a token
     * attached by hand): {@code https://api.anthropic.com}, the origin {@code ANTHROPIC_BASE_URL} names, and
     * {@code WIF4J_ALLOWED_ORIGINS} (or {@code wif4j.allowed.origins}). Profile files are not read. Read once.
     *
     * @return the scope
     * @throws ConfigurationException if {@code ANTHROPIC_BASE_URL} or an allowed origin is not allowed
     */
    public static TokenScope fromEnvironment() {
        TokenScope scope = environment;
        if (scope == null) {
            scope = fromEnvironment(new SystemDetectionContext(Map.of()));
            environment = scope;
        }
        return scope;
    }

    /** {@link #fromEnvironment()} over any context: the seam tests use. */
    static TokenScope fromEnvironment(DetectionContext ctx) {
        Optional<String> base = ctx.env("ANTHROPIC_BASE_URL");
        URI baseUrl = base.isPresent() ? ConfigResolver.baseUrl(base.get()) : ConfigResolver.DEFAULT_BASE_URL;
        TokenScope scope = of(baseUrl, split(ctx.globalSetting(SETTING).orElse("")), settingName(ctx));
        if (scope.origins.contains(DEFAULT_ORIGIN)) {
            return scope;
        }
        Set<String> origins = new LinkedHashSet<>(scope.ordered);
        origins.add(DEFAULT_ORIGIN);
        return new TokenScope(origins);
    }

    /**
     * The scope a builder makes: the origins given in code, else those of {@code WIF4J_ALLOWED_ORIGINS}.
     *
     * @param baseUrl the resolved base URL
     * @param ctx where the setting is read
     * @param fromCode the origins given in code; empty for the setting's
     * @param codeOrigin where those were given, for messages
     */
    static TokenScope forBuild(URI baseUrl, DetectionContext ctx, List<String> fromCode, String codeOrigin) {
        return fromCode.isEmpty() ? of(baseUrl, split(ctx.globalSetting(SETTING).orElse("")), settingName(ctx))
                : of(baseUrl, fromCode, codeOrigin);
    }

    /** Where the allowed origins were read, for messages. */
    static String settingName(DetectionContext ctx) {
        return ctx.settings().containsKey(SETTING) ? "the setting " + SETTING
                : ctx.systemProperty("wif4j." + SETTING).isPresent() ? "wif4j." + SETTING : "WIF4J_ALLOWED_ORIGINS";
    }

    /** A comma-separated list, blanks dropped. */
    static List<String> split(String value) {
        List<String> out = new ArrayList<>();
        for (String part : value.split(",")) {
            if (!part.isBlank()) {
                out.add(part.strip());
            }
        }
        return out;
    }

    /**
     * Whether a token may be attached to a request for this URL: its origin is the base URL's or an allowed
     * one, and it is https or http to a loopback host.
     *
     * @param uri the request's URL
     * @return {@code true} if a token may go there
     */
    public boolean permits(URI uri) {
        Optional<String> origin = origin(uri);
        return origin.isPresent() && origins.contains(origin.get())
                && (origin.get().startsWith("https:") || Endpoints.isLoopback(hostOf(uri)));
    }

    /**
     * Throws unless {@link #permits(URI)}: call it before a token is fetched or attached.
     *
     * @param uri the request's URL
     * @throws WorkloadIdentityException naming only the request's origin (never its path, query or user info)
     *     and the setting that allows it
     */
    public void check(URI uri) {
        if (permits(uri)) {
            return;
        }
        Optional<String> origin = origin(uri);
        if (origin.isEmpty()) {
            throw new WorkloadIdentityException("wif4j did not send a request with the access token: its URL "
                    + "is not an absolute http(s) URL with a host, so where the token would go cannot be checked.");
        }
        String shown = Text.escape(origin.get(), 300);
        if (origin.get().startsWith("http:") && !Endpoints.isLoopback(hostOf(uri))) {
            throw new WorkloadIdentityException("wif4j did not send a request to " + shown + ": the access token "
                    + "would travel in clear text over plain http to a host that is not loopback, which wif4j never "
                    + "does, even for an allowed origin. Use https:// (http:// only to localhost, 127.0.0.1 or [::1]).");
        }
        throw new WorkloadIdentityException("wif4j did not send a request to " + shown + ": the access token is "
                + "attached only to the Anthropic base URL's origin (" + ordered.get(0) + ")"
                + (ordered.size() == 1 ? "" : " and the allowed origins "
                + String.join(", ", ordered.subList(1, ordered.size())))
                + ". If " + shown + " is a gateway in front of the Claude API, add it to " + HOW_TO_ALLOW + ".");
    }

    /**
     * The origins a token may go to, each {@code scheme://host:port}, the base URL's first.
     *
     * @return the origins, in order
     */
    public List<String> origins() {
        return ordered;
    }

    @Override
    public String toString() {
        return "TokenScope" + ordered;
    }

    /** {@code scheme://host:port}, lower case, the port explicit; empty unless http(s) with a host. */
    private static Optional<String> origin(URI uri) {
        if (uri == null) {
            return Optional.empty();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = hostOf(uri);
        if (host == null || !(scheme.equals("https") || scheme.equals("http"))) {
            return Optional.empty();
        }
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        return Optional.of(scheme + "://" + host + ":" + port);
    }

    /** The host in lower case, an IPv6 literal in brackets, as {@link URI#getHost()} writes it. */
    private static String hostOf(URI uri) {
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            return null;
        }
        host = host.toLowerCase(Locale.ROOT);
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static String allowedOrigin(String entry, int index, String where) {
        URI uri;
        try {
            uri = new URI(entry.strip());
        } catch (URISyntaxException e) {
            uri = null;
        }
        // Only the scheme, host and port are ever shown: the entry may carry a password or a key.
        String shown = uri == null ? null : origin(uri).map(o -> Text.escape(o, 300)).orElse(null);
        String what = "The allowed origin " + (shown != null ? shown : "#" + index) + " in " + where;
        String rule = " An allowed origin is scheme://host[:port]: https://, or http:// only to localhost, "
                + "127.0.0.1 or [::1]; several are separated by commas.";
        try {
            uri = Endpoints.parse(entry);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(what + " is not allowed: " + e.getMessage() + "." + rule);
        }
        if (uri.getPort() > 65535 || uri.getPort() == 0) {
            throw new ConfigurationException(what + " is not allowed: its port is out of range (1-65535)." + rule);
        }
        String path = uri.getRawPath();
        if (uri.getRawQuery() != null || (path != null && !path.isEmpty() && !path.equals("/"))) {
            throw new ConfigurationException(what + " is not allowed: it has a path or a query; an origin is "
                    + "only the scheme, host and port." + rule);
        }
        return origin(uri).orElseThrow();
    }
}
