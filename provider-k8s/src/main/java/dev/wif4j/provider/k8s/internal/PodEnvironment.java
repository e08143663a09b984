package dev.wif4j.provider.k8s.internal;

import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.IdentityTokenException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a pod can see of itself, read only through the {@link DetectionContext}: the {@code k8s.*} settings,
 * {@code KUBERNETES_SERVICE_HOST}/{@code _PORT}, the service-account mount and the projected token file.
 * Reading never throws except in {@link #readToken}, which says exactly what is wrong with a file.
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
    /** Anthropic refuses assertions over 16 KiB, so a bigger file cannot hold a usable token. */
    static final int MAX_BYTES = 16 * 1024;

    private final DetectionContext context;

    /**
     * @param context the provider's view of the world
     */
    public PodEnvironment(DetectionContext context) {
        this.context = context;
    }

    /** @return the {@code k8s.source} setting, lower-cased, if set */
    public Optional<String> source() {
        return context.setting(PROVIDER, "source").map(s -> s.strip().toLowerCase(Locale.ROOT));
    }

    /** @return the projected token path as the pod names it: {@code k8s.token.path} or the conventional one */
    public String tokenPath() {
        return context.setting(PROVIDER, "token.path").map(String::strip).orElse(DEFAULT_TOKEN_PATH);
    }

    /** @return whether {@code k8s.token.path} was set, rather than the conventional path assumed */
    public boolean tokenPathConfigured() {
        return context.setting(PROVIDER, "token.path").isPresent();
    }

    /** @return the audience the token must carry (or is asked for) */
    public String audience() {
        return context.audience(PROVIDER);
    }

    /**
     * @return the TokenRequest lifetime in seconds
     * @throws IdentityTokenException if {@code k8s.expiration-seconds} is not a whole number of at least 600
     */
    public long expirationSeconds() {
        Optional<String> value = context.setting(PROVIDER, "expiration-seconds");
        if (value.isEmpty()) {
            return DEFAULT_EXPIRATION_SECONDS;
        }
        long seconds;
        try {
            seconds = Long.parseLong(value.get().strip());
        } catch (NumberFormatException e) {
            throw new IdentityTokenException("k8s.expiration-seconds (WIF4J_K8S_EXPIRATION_SECONDS) is '"
                    + value.get().strip() + "', not a whole number of seconds.");
        }
        if (seconds < MIN_EXPIRATION_SECONDS) {
            throw new IdentityTokenException("k8s.expiration-seconds (WIF4J_K8S_EXPIRATION_SECONDS) is " + seconds
                    + "; the API server refuses a TokenRequest under " + MIN_EXPIRATION_SECONDS + " seconds.");
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
     */
    public Optional<String> apiServerUrl() {
        return serviceHost().map(host -> {
            String port = context.env("KUBERNETES_SERVICE_PORT").map(String::strip).orElse("443");
            String literal = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
            return "https://" + literal + ":" + port;
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
        return context.setting(PROVIDER, "namespace").map(String::strip)
                .or(() -> readSmallText(SERVICE_ACCOUNT_DIR + "/namespace"))
                .or(() -> mountedToken.flatMap(PodEnvironment::namespaceOf));
    }

    /**
     * The service account: {@code k8s.service-account}, else the mounted token's {@code kubernetes.io} claim or
     * its {@code sub}.
     *
     * @param mountedToken the mounted token, if readable
     * @return the service account name, if any source names one
     */
    public Optional<String> serviceAccount(Optional<IdentityToken> mountedToken) {
        return context.setting(PROVIDER, "service-account").map(String::strip)
                .or(() -> mountedToken.flatMap(PodEnvironment::serviceAccountOf));
    }

    /** @return the mounted service-account token, if it is there and a JWT */
    public Optional<IdentityToken> mountedToken() {
        try {
            return Optional.of(readToken(serviceAccountTokenPath()));
        } catch (IdentityTokenException e) {
            return Optional.empty();
        }
    }

    /** @return the mounted token's raw text for the API server's {@code Authorization} header, read afresh */
    public String mountedTokenText() {
        return readText(serviceAccountTokenPath());
    }

    /** @return the mounted cluster CA bundle's real path, if present */
    public Optional<Path> caCertificate() {
        return resolve(SERVICE_ACCOUNT_DIR + "/ca.crt").filter(Files::isRegularFile);
    }

    private Optional<String> readSmallText(String podPath) {
        try {
            String text = readText(podPath);
            return text.isEmpty() ? Optional.empty() : Optional.of(text);
        } catch (IdentityTokenException e) {
            return Optional.empty();
        }
    }

    /**
     * Reads and decodes a token file.
     *
     * @param podPath the path as the pod names it
     * @return the token
     * @throws IdentityTokenException naming the file and what is wrong with it
     */
    public IdentityToken readToken(String podPath) {
        String text = readText(podPath);
        if (text.isEmpty()) {
            throw new IdentityTokenException("The token file " + podPath + " is empty.");
        }
        try {
            return IdentityToken.parse(text);
        } catch (IdentityTokenException e) {
            throw new IdentityTokenException("The token file " + podPath + " does not hold a JWT: " + e.getMessage());
        }
    }

    /**
     * Reads a whole small file with one open. The kubelet never rewrites a projected file in place: it writes a
     * new timestamped directory and renames a {@code ..data} symlink over the old one, so the single open
     * resolves the symlinks once and the read sees one complete version, even if the old directory is deleted
     * meanwhile.
     */
    private String readText(String podPath) {
        Path path = resolve(podPath).orElseThrow(
                () -> new IdentityTokenException("'" + podPath + "' is not a valid path."));
        if (Files.isDirectory(path)) {
            throw new IdentityTokenException(podPath + " is a directory, not a token file.");
        }
        byte[] bytes;
        try {
            bytes = readOnce(path);
        } catch (NoSuchFileException e) {
            // The kubelet deletes the previous version right after the swap; a path lookup that started just
            // before it can miss. The ..data link already names the new version, so one more open finds it.
            try {
                bytes = readOnce(path);
            } catch (NoSuchFileException again) {
                throw new IdentityTokenException(podPath + " does not exist.");
            } catch (IOException again) {
                throw new IdentityTokenException(podPath + " could not be read: " + again.getClass().getSimpleName(),
                        again);
            }
        } catch (AccessDeniedException e) {
            throw new IdentityTokenException(podPath + " cannot be read by this process (permission denied); "
                    + "projected tokens are mode 0600 by default unless the pod sets fsGroup or defaultMode.");
        } catch (IOException e) {
            throw new IdentityTokenException(podPath + " could not be read: " + e.getClass().getSimpleName(), e);
        }
        if (bytes.length > MAX_BYTES) {
            throw new IdentityTokenException(podPath + " is larger than " + MAX_BYTES
                    + " bytes; Anthropic refuses identity tokens over 16 KiB.");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString().strip();
        } catch (CharacterCodingException e) {
            throw new IdentityTokenException(podPath + " is not UTF-8 text.");
        }
    }

    private static byte[] readOnce(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return in.readNBytes(MAX_BYTES + 1);
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
        return "sub=" + token.subject().orElse("?") + ", iss=" + token.issuer().orElse("?")
                + ", aud=" + token.audience();
    }
}
