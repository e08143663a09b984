package dev.wif4j.provider.k8s.internal;

import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.support.Endpoints;
import dev.wif4j.spi.support.ProviderSettings;
import dev.wif4j.spi.support.Setting;
import dev.wif4j.spi.support.SettingException;
import dev.wif4j.spi.support.Text;
import dev.wif4j.spi.support.TokenFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a pod can see of itself, read only through the {@link DetectionContext}: the {@code k8s.*} settings,
 * {@code KUBERNETES_SERVICE_HOST}/{@code _PORT}, the service-account mount and the projected token file.
 * A malformed setting is a {@link SettingException}; of the files, only {@link #readToken} throws, saying exactly
 * what is wrong with a file in {@link TokenFile}'s words. Files are local: a read is never retried (but for one
 * kubelet rotation race), and only a regular file is ever opened.
 */
public final class PodEnvironment {

    /** The provider id, which prefixes every setting. */
    public static final String PROVIDER = "k8s";
    /** Where the Anthropic guide mounts the projected token. */
    public static final String DEFAULT_TOKEN_PATH = "/var/run/secrets/anthropic.com/token";
    /** The service-account mount every pod gets unless {@code automountServiceAccountToken: false}. */
    public static final String SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";
    /** The default lifetime asked of the TokenRequest API; Anthropic's default issuer maximum is one hour. */
    public static final long DEFAULT_EXPIRATION_SECONDS = 3600;
    /** The API server's minimum for a TokenRequest. */
    public static final long MIN_EXPIRATION_SECONDS = 600;
    /** How messages name the pod's own service-account token file. */
    private static final String SERVICE_ACCOUNT_TOKEN = "The pod's service-account token file "
            + SERVICE_ACCOUNT_DIR + "/token";

    /** The API server's maximum for a TokenRequest: 2^32 seconds. */
    public static final long MAX_EXPIRATION_SECONDS = 1L << 32;

    private final DetectionContext context;
    private final ProviderSettings settings;

    /**
     * @param context the provider's view of the world
     */
    public PodEnvironment(DetectionContext context) {
        this.context = context;
        this.settings = ProviderSettings.of(context, PROVIDER);
    }

    /**
     * @return the {@code k8s.source} setting, {@code file} or {@code token-request}, if set
     * @throws SettingException if it is set to anything else
     */
    public Optional<String> source() {
        return Optional.ofNullable(settings.get("source").asChoice(null, "file", "token-request"));
    }

    /**
     * @return the projected token path as the pod names it: {@code k8s.token.path} or the conventional one
     * @throws SettingException if {@code k8s.token.path} is not an absolute path
     */
    public String tokenPath() {
        Setting path = settings.get("token.path");
        path.asPath();
        return path.value(DEFAULT_TOKEN_PATH);
    }

    /** @return whether {@code k8s.token.path} was set, rather than the conventional path assumed */
    public boolean tokenPathConfigured() {
        return settings.get("token.path").isSet();
    }

    /** @return where the projected token path came from, for messages */
    public String tokenPathOrigin() {
        return tokenPathConfigured() ? "k8s.token.path" : "the conventional path";
    }

    /** @return how messages name the projected token file: its path and where that came from */
    public String tokenFileDescription() {
        return "The Kubernetes projected token file " + Text.escape(tokenPath()) + " (" + tokenPathOrigin() + ")";
    }

    /** @return the audience the token must carry (or is asked for) */
    public String audience() {
        return settings.audience();
    }

    /** @return how long one fetch may take in all */
    public Duration fetchTimeout() {
        return context.fetchTimeout();
    }

    /**
     * @return the TokenRequest lifetime in seconds
     * @throws SettingException if {@code k8s.expiration.seconds} is not a whole number from 600 to 2^32
     */
    public long expirationSeconds() {
        Setting expiration = settings.get("expiration.seconds");
        long seconds = expiration.asLong(DEFAULT_EXPIRATION_SECONDS, 1, MAX_EXPIRATION_SECONDS);
        if (seconds < MIN_EXPIRATION_SECONDS) {
            throw expiration.invalid("the API server refuses a TokenRequest under " + MIN_EXPIRATION_SECONDS
                    + " seconds");
        }
        return seconds;
    }

    /** @return {@code KUBERNETES_SERVICE_HOST}, if set */
    public Optional<String> serviceHost() {
        return context.env("KUBERNETES_SERVICE_HOST").map(String::strip);
    }

    /**
     * The API server's URL, as a pod reaches it: {@code https://KUBERNETES_SERVICE_HOST:KUBERNETES_SERVICE_PORT}.
     *
     * @return the URL, if {@code KUBERNETES_SERVICE_HOST} is set
     * @throws SettingException if the two variables do not make a URL
     */
    public Optional<String> apiServerUrl() {
        return serviceHost().map(host -> {
            String port = context.env("KUBERNETES_SERVICE_PORT").map(String::strip).orElse("443");
            String literal = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
            String url = "https://" + literal + ":" + port;
            try {
                Endpoints.parse(url);
            } catch (IllegalArgumentException e) {
                throw new SettingException("KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT give the API server "
                        + Endpoints.describe(url) + ", but " + e.getMessage() + ".");
            }
            return url;
        });
    }

    /** @return the mounted service-account token's path, as the pod names it */
    public static String serviceAccountTokenPath() {
        return SERVICE_ACCOUNT_DIR + "/token";
    }

    /**
     * Maps a pod path through the context.
     *
     * @param podPath the path as the pod names it
     * @return the path to read, or empty if the value is not a valid path
     */
    public Optional<Path> resolve(String podPath) {
        try {
            return Optional.of(context.path(podPath));
        } catch (IllegalArgumentException e) { // InvalidPathException included
            return Optional.empty();
        }
    }

    /**
     * @param podPath the path as the pod names it
     * @return whether it is a regular file (after following symlinks, as the kubelet lays them out)
     */
    public boolean isFile(String podPath) {
        return resolve(podPath).map(Files::isRegularFile).orElse(false);
    }

    /** @return whether the service-account mount holds a token */
    public boolean hasServiceAccountMount() {
        return isFile(serviceAccountTokenPath());
    }

    /**
     * The namespace: {@code k8s.namespace}, else the mount's {@code namespace} file, else the mounted token's
     * {@code kubernetes.io} claim.
     *
     * @param mountedToken the mounted token, if readable
     * @return the namespace, if any source names one
     */
    public Optional<String> namespace(Optional<IdentityToken> mountedToken) {
        return settings.get("namespace").value()
                .or(() -> readSmallText(SERVICE_ACCOUNT_DIR + "/namespace"))
                .or(() -> mountedToken.flatMap(PodEnvironment::namespaceOf));
    }

    /**
     * The service account: {@code k8s.service.account}, else the mounted token's {@code kubernetes.io} claim or
     * its {@code sub}.
     *
     * @param mountedToken the mounted token, if readable
     * @return the service account name, if any source names one
     */
    public Optional<String> serviceAccount(Optional<IdentityToken> mountedToken) {
        return settings.get("service.account").value()
                .or(() -> mountedToken.flatMap(PodEnvironment::serviceAccountOf));
    }

    /** @return the mounted service-account token, if it is there and a JWT */
    public Optional<IdentityToken> mountedToken() {
        try {
            return Optional.of(readToken(serviceAccountTokenPath(), SERVICE_ACCOUNT_TOKEN));
        } catch (IdentityTokenException e) {
            return Optional.empty();
        }
    }

    /** @return the mounted token's raw text for the API server's {@code Authorization} header, read afresh */
    public String mountedTokenText() {
        return readText(serviceAccountTokenPath(), SERVICE_ACCOUNT_TOKEN);
    }

    /** @return the mounted cluster CA bundle's real path, if present */
    public Optional<Path> caCertificate() {
        return resolve(SERVICE_ACCOUNT_DIR + "/ca.crt").filter(Files::isRegularFile);
    }

    private Optional<String> readSmallText(String podPath) {
        try {
            return Optional.of(readText(podPath, "The pod's namespace file " + Text.escape(podPath)));
        } catch (IdentityTokenException e) {
            return Optional.empty();
        }
    }

    /**
     * Reads and decodes a token file.
     *
     * @param podPath the path as the pod names it
     * @param description how messages name the file, e.g. {@link #tokenFileDescription()}
     * @return the token
     * @throws IdentityTokenException naming the file and what is wrong with it
     */
    public IdentityToken readToken(String podPath, String description) {
        String text = readText(podPath, description);
        try {
            return IdentityToken.parse(text);
        } catch (IdentityTokenException e) {
            throw new IdentityTokenException(description + ": it does not hold a JWT: " + e.getMessage());
        }
    }

    /**
     * Reads a whole small file with one open ({@link TokenFile}). The kubelet never rewrites a projected file in
     * place: it writes a new timestamped directory and renames a {@code ..data} symlink over the old one, so the
     * single open resolves the symlinks once and the read sees one complete version.
     */
    private String readText(String podPath, String description) {
        Path path = resolve(podPath).orElseThrow(
                () -> new IdentityTokenException("'" + Text.escape(podPath) + "' is not a valid path."));
        TokenFile file = TokenFile.of(path, description);
        try {
            return file.read();
        } catch (IdentityTokenException e) {
            // The kubelet deletes the previous version right after the swap; a lookup that started just before it
            // can miss. If a file is there now, the ..data link names the new version: one more read finds it.
            // (Any other failure of a file that is there fails the same way again, at the cost of one small read.)
            if (!file.exists()) {
                throw e;
            }
            if (!Files.isReadable(path)) {
                throw new IdentityTokenException(e.getMessage() + " Projected tokens are mode 0600 by default unless "
                        + "the pod sets fsGroup or defaultMode.");
            }
            return file.read();
        }
    }

    /**
     * The namespace a service-account token names.
     *
     * @param token a Kubernetes service-account token
     * @return the namespace, if the token names one
     */
    public static Optional<String> namespaceOf(IdentityToken token) {
        Object k8s = token.claims().get("kubernetes.io");
        if (k8s instanceof Map<?, ?> map && map.get("namespace") instanceof String ns && !ns.isBlank()) {
            return Optional.of(ns);
        }
        return subjectPart(token, 2);
    }

    /**
     * The service account a token names.
     *
     * @param token a Kubernetes service-account token
     * @return the service account's name, if the token names one
     */
    public static Optional<String> serviceAccountOf(IdentityToken token) {
        Object k8s = token.claims().get("kubernetes.io");
        if (k8s instanceof Map<?, ?> map && map.get("serviceaccount") instanceof Map<?, ?> sa
                && sa.get("name") instanceof String name && !name.isBlank()) {
            return Optional.of(name);
        }
        return subjectPart(token, 3);
    }

    /** {@code system:serviceaccount:<namespace>:<name>} split on colons. */
    private static Optional<String> subjectPart(IdentityToken token, int index) {
        return token.subject().map(s -> s.split(":", -1))
                .filter(parts -> parts.length == 4 && parts[0].equals("system") && parts[1].equals("serviceaccount"))
                .map(parts -> parts[index]).filter(s -> !s.isBlank());
    }

    /**
     * The audiences a cluster puts on tokens nobody asked an audience for: the API server's own (often the
     * issuer itself, or {@code https://kubernetes.default.svc…}), and the ones EKS and AKS inject for their own
     * federation.
     *
     * @param token the token
     * @return whether every audience it carries is such a default
     */
    public static boolean onlyDefaultAudiences(IdentityToken token) {
        List<String> audiences = token.audience();
        String issuer = token.issuer().orElse("");
        return !audiences.isEmpty() && audiences.stream().allMatch(a -> a.equals(issuer)
                || a.startsWith("https://kubernetes.default.svc") || a.equals("kubernetes.default.svc")
                || a.equals("sts.amazonaws.com") || a.equals("api://AzureADTokenExchange")
                || a.startsWith("https://container.googleapis.com/"));
    }

    /**
     * The sentences that tell a user how to write the federation rule for a token.
     *
     * @param token the token
     * @return e.g. {@code sub=system:serviceaccount:ns:sa, iss=https://…}
     */
    public static String describe(IdentityToken token) {
        return "sub=" + Text.escape(token.subject().orElse("?")) + ", iss=" + Text.escape(token.issuer().orElse("?"))
                + ", aud=" + Text.escape(token.audience().toString());
    }
}
