package dev.wif4j.provider.k8s.internal;

import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.spi.support.BoundedHttp;
import dev.wif4j.spi.support.FirstTokenLog;
import dev.wif4j.spi.support.Text;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import java.nio.file.Path;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Asks the API server for a new token for the pod's own service account on every fetch: a TokenRequest
 * ({@code POST /api/v1/namespaces/<ns>/serviceaccounts/<sa>/token}) with the configured audience and lifetime,
 * through the Fabric8 client on the JDK's HTTP client.
 *
 * <p>Fabric8 is configured only from what the context shows: {@code Config.empty()} with auto-configuration
 * off, so it never reads the process's environment, system properties, {@code ~/.kube/config} or the real
 * service-account mount; the API server URL, the CA bundle and the bearer token (re-read before every
 * request, as the kubelet rotates it) come from {@link PodEnvironment}.
 *
 * <p>A fetch is one request: Fabric8's own request retries are off, and its connection and request timeouts
 * are the context's fetch timeout. A failure below HTTP, 408, 429 or 5xx is thrown retryable, and wif4j's
 * exchange tries again with a new fetch.
 *
 * <p>Fabric8's JDK HTTP client is found as a service ({@link #jdkHttpClientFactory}), never named in code: its
 * module is {@code kubernetes.httpclient.jdk} up to Fabric8 7.5 and {@code io.fabric8.kubernetes.client.jdkhttp}
 * from 7.6 on, so a {@code requires} of either name resolves with one range of releases only, while the
 * module-info's {@code uses} binds whichever the module path holds.
 */
public final class TokenRequestSource implements IdentityTokenSource {

    /** The class Fabric8's JDK HTTP client registers as its {@code HttpClient.Factory}, the same in 7.x and 8.x. */
    static final String JDK_FACTORY = "io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory";

    private final KubernetesClient client;
    private final String apiServer;
    private final String namespace;
    private final String serviceAccount;
    private final String audience;
    private final long expirationSeconds;
    private final FirstTokenLog described;

    /**
     * @param pod the pod's environment
     * @param apiServer the API server's URL
     * @param namespace the service account's namespace
     * @param serviceAccount the service account's name
     * @param expirationSeconds the lifetime to ask for
     * @param described where the first token's rule-relevant claims are described
     */
    public TokenRequestSource(PodEnvironment pod, String apiServer, String namespace, String serviceAccount,
            long expirationSeconds, FirstTokenLog described) {
        this.apiServer = apiServer;
        this.namespace = namespace;
        this.serviceAccount = serviceAccount;
        // The pod's: the audience asked for is the one the 401 hint and the first-token line speak of.
        this.audience = pod.audience();
        this.expirationSeconds = expirationSeconds;
        this.described = described;
        int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, pod.fetchTimeout().toMillis()));
        ConfigBuilder config = new ConfigBuilder(Config.empty())
                .withAutoConfigure(false)
                .withMasterUrl(apiServer)
                .withNamespace(namespace)
                .withOauthTokenProvider(pod::mountedTokenText)
                .withConnectionTimeout(timeoutMillis)
                .withRequestTimeout(timeoutMillis)
                // One attempt per fetch: wif4j's exchange owns retries, each with a new fetch.
                .withRequestRetryBackoffLimit(0);
        Optional<Path> ca = pod.caCertificate();
        ca.ifPresent(path -> config.withCaCertFile(path.toString()));
        this.client = new KubernetesClientBuilder()
                .withConfig(config.build())
                .withHttpClientFactory(jdkHttpClientFactory(
                        ServiceLoader.load(HttpClient.Factory.class, TokenRequestSource.class.getClassLoader())))
                .build();
    }

    /**
     * Fabric8's JDK HTTP client among the factories a service loader sees, chosen by class rather than by Fabric8's
     * priority order, so that another client on the class path (Fabric8's default Vert.x one) is never taken.
     *
     * @param factories the registered factories; only the JDK client's is instantiated
     * @return the JDK client's factory
     * @throws IdentityTokenException when it is not there (a build that excluded {@code kubernetes-httpclient-jdk})
     */
    static HttpClient.Factory jdkHttpClientFactory(ServiceLoader<HttpClient.Factory> factories) {
        return factories.stream()
                .filter(provider -> provider.type().getName().equals(JDK_FACTORY))
                .findFirst()
                .map(ServiceLoader.Provider::get)
                .orElseThrow(() -> new IdentityTokenException("Fabric8's JDK HTTP client (" + JDK_FACTORY
                        + ", from io.fabric8:kubernetes-httpclient-jdk) is on neither the class path nor the module "
                        + "path: wif4j-provider-k8s depends on it for the TokenRequest API; add it back if the build "
                        + "excludes it."));
    }

    @Override
    public IdentityToken fetch() {
        TokenRequest request = new TokenRequestBuilder()
                .withNewSpec()
                .withAudiences(audience)
                .withExpirationSeconds(expirationSeconds)
                .endSpec()
                .build();
        TokenRequest answer;
        try {
            answer = client.serviceAccounts().inNamespace(namespace).withName(serviceAccount).tokenRequest(request);
        } catch (KubernetesClientException e) {
            throw explain(e);
        } catch (IdentityTokenException e) {
            throw new IdentityTokenException("The pod's service-account token, which authenticates the "
                    + "TokenRequest, could not be read: " + e.getMessage(), e);
        }
        String jwt = answer == null || answer.getStatus() == null ? null : answer.getStatus().getToken();
        if (jwt == null || jwt.isBlank()) {
            throw new IdentityTokenException("The API server answered the TokenRequest for " + subject()
                    + " without a token (status.token is empty).");
        }
        IdentityToken token;
        try {
            token = IdentityToken.parse(jwt.strip());
        } catch (IdentityTokenException e) {
            throw new IdentityTokenException("The API server's TokenRequest answer is not a JWT: " + e.getMessage());
        }
        return described.once(token);
    }

    private IdentityTokenException explain(KubernetesClientException e) {
        int code = e.getCode();
        String ns = Text.escape(namespace);
        String sa = Text.escape(serviceAccount);
        String what = "The TokenRequest for " + subject() + " (audience " + audience + ", " + expirationSeconds
                + " s) at " + apiServer;
        if (code == 403) {
            return new IdentityTokenException(what + " was refused (HTTP 403 Forbidden): the service account may "
                    + "not create tokens for itself. Add this rule to a Role in namespace " + ns
                    + " and bind it to the service account with a RoleBinding:\n"
                    + "  - apiGroups: [\"\"]\n"
                    + "    resources: [\"serviceaccounts/token\"]\n"
                    + "    verbs: [\"create\"]\n"
                    + "    resourceNames: [\"" + sa + "\"]\n"
                    + "(kubectl create role wif4j-token-request -n " + ns + " --verb=create "
                    + "--resource=serviceaccounts/token --resource-name=" + sa + " && kubectl create "
                    + "rolebinding wif4j-token-request -n " + ns + " --role=wif4j-token-request "
                    + "--serviceaccount=" + ns + ":" + sa + "), or mount a projected token "
                    + "instead and set k8s.source=file.", e);
        }
        if (code == 401) {
            return new IdentityTokenException(what + " was refused (HTTP 401): the API server did not accept the "
                    + "pod's own service-account token from " + PodEnvironment.serviceAccountTokenPath() + ".", e);
        }
        if (code == 404) {
            return new IdentityTokenException(what + " failed (HTTP 404): no service account " + sa
                    + " in namespace " + ns + "; check k8s.namespace and k8s.service.account.", e);
        }
        // Fabric8 reports a failure below HTTP (refused, reset, TLS, timeout) with no status: -1 or 0.
        boolean network = code <= 0;
        boolean retryable = network || BoundedHttp.isTransient(code);
        String reason = network ? "could not reach the API server: " + rootMessage(e) : "failed (HTTP " + code + ")";
        return new IdentityTokenException(what + " " + reason + ".", e, retryable);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": "
                + Text.scrub(root.getMessage()));
    }

    private String subject() {
        return "system:serviceaccount:" + Text.escape(namespace) + ":" + Text.escape(serviceAccount);
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return "TokenRequestSource[" + apiServer + ", " + subject() + ", audience=" + audience + ", "
                + expirationSeconds + "s]";
    }
}
