package dev.wif4j.provider.k8s;

import dev.wif4j.provider.k8s.internal.PodEnvironment;
import dev.wif4j.provider.k8s.internal.ProjectedTokenSource;
import dev.wif4j.provider.k8s.internal.TokenRequestSource;
import dev.wif4j.spi.Detection;
import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.IdentityProvider;
import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.spi.support.FirstTokenLog;
import dev.wif4j.spi.support.ProviderSettings;
import dev.wif4j.spi.support.SettingException;
import dev.wif4j.spi.support.Text;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;

/**
 * The {@code k8s} provider: a Kubernetes pod's service-account identity, from one of two sources.
 *
 * <ul>
 *   <li>{@code file}: a projected {@code serviceAccountToken} volume with the Anthropic audience, at
 *       {@code k8s.token.path} ({@code WIF4J_K8S_TOKEN_PATH}, default
 *       {@code /var/run/secrets/anthropic.com/token}), re-read on every fetch; a token whose {@code aud} lacks
 *       the configured audience is refused with the volume setting that fixes it.</li>
 *   <li>{@code token-request}: the TokenRequest API, asked from inside the pod (with the pod's own mounted
 *       service-account token) for a new token for its service account, with the configured audience and
 *       lifetime ({@code k8s.expiration.seconds}, default 3600). Needs RBAC {@code create} on
 *       {@code serviceaccounts/token}; a 403 names the rule to add. A fetch is one request (Fabric8's own
 *       retries are off, its timeouts the fetch timeout); a network error, 429 or 5xx is thrown retryable, and
 *       wif4j's exchange tries again with a new fetch.</li>
 * </ul>
 *
 * <p>{@code k8s.source} ({@code file} or {@code token-request}) chooses; otherwise the file is used when it
 * exists, else the TokenRequest API when the pod is in a cluster. Detection never calls the API server.
 * Other settings: {@code k8s.audience} (or {@code audience}), {@code k8s.namespace},
 * {@code k8s.service.account}. The dashed spellings of earlier releases ({@code k8s.service-account}) are still
 * read in code and system properties.
 *
 * <p>Priority 30: a pod also sees its cloud's metadata server, and the pod's own identity is the one meant.
 */
public final class K8sIdentityProvider implements IdentityProvider {

    private static final String FILE = "file";
    private static final String TOKEN_REQUEST = "token-request";

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public K8sIdentityProvider() {
    }

    @Override
    public String id() {
        return PodEnvironment.PROVIDER;
    }

    @Override
    public int priority() {
        return 30;
    }

    @Override
    public Detection detect(DetectionContext context) {
        if (notInPod(context)) {
            return Detection.unavailable("not in a Kubernetes pod: KUBERNETES_SERVICE_HOST is not set and no projected "
                    + "token at " + PodEnvironment.DEFAULT_TOKEN_PATH + " (the conventional path)");
        }
        PodEnvironment pod = new PodEnvironment(context);
        Optional<String> source = pod.source();
        String path = pod.tokenPath();
        String shownPath = Text.escape(path);
        String origin = pod.tokenPathOrigin();
        boolean wantsFile = source.map(FILE::equals).orElse(false);
        boolean wantsTokenRequest = source.map(TOKEN_REQUEST::equals).orElse(false);
        if (!wantsTokenRequest && pod.isFile(path)) {
            return Detection.available("projected token file " + shownPath + " (" + origin + ") exists"
                    + (wantsFile ? " and k8s.source is file" : "") + "; source: file" + fileFacts(pod, path));
        }
        if (wantsFile) {
            return Detection.unavailable("k8s.source is file but " + shownPath + " (" + origin + ") does not exist: "
                    + "mount a projected serviceAccountToken volume with audience " + pod.audience() + " there, "
                    + "or set k8s.token.path (WIF4J_K8S_TOKEN_PATH) to where it is mounted");
        }
        Optional<String> host = pod.serviceHost();
        boolean mount = pod.hasServiceAccountMount();
        String noFile = "no projected token at " + shownPath + " (" + origin + ")";
        if (host.isEmpty()) {
            return Detection.unavailable("not in a Kubernetes pod: KUBERNETES_SERVICE_HOST is not set and " + noFile
                    + (wantsTokenRequest ? "; k8s.source is token-request, which works only inside a pod" : ""));
        }
        if (!mount) {
            return Detection.unavailable("KUBERNETES_SERVICE_HOST is set but " + noFile + " and no service-account "
                    + "token at " + PodEnvironment.serviceAccountTokenPath() + " (automountServiceAccountToken: "
                    + "false?): mount a projected serviceAccountToken volume with audience " + pod.audience()
                    + " at " + shownPath + ", or set k8s.token.path (WIF4J_K8S_TOKEN_PATH) to where it is mounted");
        }
        Optional<IdentityToken> mounted = pod.mountedToken();
        Optional<String> namespace = pod.namespace(mounted);
        Optional<String> serviceAccount = pod.serviceAccount(mounted);
        if (namespace.isEmpty() || serviceAccount.isEmpty()) {
            return Detection.unavailable("in a Kubernetes pod, but the " + (namespace.isEmpty() ? "namespace"
                    : "service account") + " cannot be read from " + PodEnvironment.SERVICE_ACCOUNT_DIR
                    + ": set k8s.namespace and k8s.service.account (WIF4J_K8S_NAMESPACE, WIF4J_K8S_SERVICE_ACCOUNT)");
        }
        String why = wantsTokenRequest ? "k8s.source is token-request" : noFile;
        return Detection.available("in a Kubernetes pod (KUBERNETES_SERVICE_HOST=" + Text.escape(host.get())
                + ", service-account mount present) and " + why + "; source: token-request, which asks the API "
                + "server for a token for system:serviceaccount:" + Text.escape(namespace.get()) + ":"
                + Text.escape(serviceAccount.get()) + " with audience " + pod.audience()
                + mounted.flatMap(t -> t.issuer()).map(i -> ", iss=" + Text.escape(i)).orElse("")
                + " (needs RBAC create on serviceaccounts/token)");
    }

    /**
     * No pod, no token at the conventional path and no k8s setting: told in plain code, before {@link PodEnvironment}
     * is loaded, since detection runs in a cold JVM where each class and lambda costs time. Anything else is
     * {@link PodEnvironment}'s to judge.
     */
    private static boolean notInPod(DetectionContext context) {
        if (context.env("KUBERNETES_SERVICE_HOST").isPresent()) {
            return false;
        }
        ProviderSettings settings = ProviderSettings.of(context, PodEnvironment.PROVIDER);
        if (settings.get("source").isSet() || settings.get("token.path").isSet()) {
            return false;
        }
        try {
            return !Files.isRegularFile(context.path(PodEnvironment.DEFAULT_TOKEN_PATH));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The claims a user needs to write the rule, and an early word if the audience is wrong. */
    private static String fileFacts(PodEnvironment pod, String path) {
        IdentityToken token;
        try {
            token = pod.readToken(path, pod.tokenFileDescription());
        } catch (IdentityTokenException e) {
            return "; but it cannot be used yet: " + e.getMessage();
        }
        String problem = ProjectedTokenSource.audienceProblem(token, path, pod.audience());
        return "; " + PodEnvironment.describe(token) + (problem == null ? "" : ". Warning: " + problem);
    }

    @Override
    public IdentityTokenSource open(DetectionContext context) {
        PodEnvironment pod = new PodEnvironment(context);
        Optional<String> source = pod.source();
        String path = pod.tokenPath();
        String advice = "A narrow federation rule pins subject_prefix to that sub and audience to " + pod.audience()
                + ".";
        boolean useFile = source.map(FILE::equals)
                .orElseGet(() -> pod.isFile(path) || pod.serviceHost().isEmpty() || !pod.hasServiceAccountMount());
        if (useFile) {
            return new ProjectedTokenSource(pod, path, pod.audience(), FirstTokenLog.of(context,
                    K8sIdentityProvider.class, "Kubernetes projected token " + Text.escape(path), List.of(),
                    token -> advice));
        }
        String apiServer = pod.apiServerUrl().orElseThrow(() -> new SettingException(
                "k8s.source is token-request, but KUBERNETES_SERVICE_HOST is not set: the TokenRequest API is "
                        + "asked from inside a pod."));
        long expiration = pod.expirationSeconds();
        Optional<IdentityToken> mounted = pod.mountedToken();
        String namespace = pod.namespace(mounted).orElseThrow(() -> new SettingException(
                "The pod's namespace cannot be read from " + PodEnvironment.SERVICE_ACCOUNT_DIR
                        + "/namespace: set k8s.namespace (WIF4J_K8S_NAMESPACE)."));
        String serviceAccount = pod.serviceAccount(mounted).orElseThrow(() -> new SettingException(
                "The pod's service account cannot be read from " + PodEnvironment.serviceAccountTokenPath()
                        + ": set k8s.service.account (WIF4J_K8S_SERVICE_ACCOUNT)."));
        return new TokenRequestSource(pod, apiServer, namespace, serviceAccount, expiration,
                FirstTokenLog.of(context, K8sIdentityProvider.class, "Kubernetes TokenRequest token", List.of(),
                        token -> advice));
    }

    @Override
    public String toString() {
        return "K8sIdentityProvider";
    }
}
