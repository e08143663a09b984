package dev.wif4j.provider.k8s;

import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.OidcIssuer;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestSpec;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A cluster for tests, all on 127.0.0.1: Fabric8's mock API server over https (its self-signed certificate is
 * the pod's {@code ca.crt}), answering TokenRequests for {@code inference/inference-worker} with tokens the
 * cluster's {@link OidcIssuer} mints, and refusing them (403) for {@code inference/no-rbac}.
 */
final class K8sCluster implements AutoCloseable {
    static final String NAMESPACE = "inference";
    static final String SERVICE_ACCOUNT = "inference-worker";
    static final String FORBIDDEN_SERVICE_ACCOUNT = "no-rbac";
    /** A service account whose TokenRequests the API server answers 503, always. */
    static final String UNAVAILABLE_SERVICE_ACCOUNT = "overloaded";
    /**
     * A service account whose TokenRequests are answered with the cluster's default audience whatever was asked, as
     * an API server that ignores {@code spec.audiences} would.
     */
    static final String AUDIENCE_IGNORED_SERVICE_ACCOUNT = "audience-ignored";
    static final String SUBJECT = "system:serviceaccount:" + NAMESPACE + ":" + SERVICE_ACCOUNT;
    static final String SA_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";
    static final String PROJECTED = "/var/run/secrets/anthropic.com/token";
    /** What kubeadm clusters put on tokens nobody asked an audience for. */
    static final String DEFAULT_AUDIENCE = "https://kubernetes.default.svc.cluster.local";

    /** Fabric8's own JSON mapping: Jackson 2 in Fabric8 7.x, Jackson 3 in 8.x. */
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    final OidcIssuer issuer;
    final KubernetesMockServer apiServer;
    /** Each TokenRequest body and its Authorization header, in order. */
    final List<Map.Entry<TokenRequest, String>> tokenRequests = new CopyOnWriteArrayList<>();
    /** Each TokenRequest's Impersonate-User header ("" when absent), in order. */
    final List<String> impersonations = new CopyOnWriteArrayList<>();
    /** TokenRequests for {@link #UNAVAILABLE_SERVICE_ACCOUNT}, each answered 503. */
    final AtomicInteger unavailableRequests = new AtomicInteger();

    K8sCluster() {
        issuer = OidcIssuer.start();
        apiServer = new KubernetesMockServer(true);
        try {
            apiServer.init(InetAddress.getByName("127.0.0.1"), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        apiServer.expect().post().withPath(tokenPath(SERVICE_ACCOUNT)).andReply(201, this::answer).always();
        apiServer.expect().post().withPath(tokenPath(AUDIENCE_IGNORED_SERVICE_ACCOUNT))
                .andReply(201, request -> answer(request, DEFAULT_AUDIENCE)).always();
        apiServer.expect().post().withPath(tokenPath(FORBIDDEN_SERVICE_ACCOUNT)).andReturn(403,
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"Forbidden\",\"code\":403,"
                        + "\"message\":\"serviceaccounts \\\"no-rbac\\\" is forbidden: User \\\"system:serviceaccount:"
                        + "inference:no-rbac\\\" cannot create resource \\\"serviceaccounts/token\\\"\"}").always();
        apiServer.expect().post().withPath(tokenPath(UNAVAILABLE_SERVICE_ACCOUNT)).andReply(503, request -> {
            unavailableRequests.incrementAndGet();
            return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"ServiceUnavailable\","
                    + "\"code\":503,\"message\":\"the server is currently unable to handle the request\"}";
        }).always();
    }

    static String tokenPath(String serviceAccount) {
        return "/api/v1/namespaces/" + NAMESPACE + "/serviceaccounts/" + serviceAccount + "/token";
    }

    /** Mints the token the API server would: the requested audience and lifetime, the service account's sub. */
    private Object answer(RecordedRequest request) {
        return answer(request, null);
    }

    /** The answer, with {@code audience} instead of the requested one when it is not null. */
    private Object answer(RecordedRequest request, String audienceOverride) {
        TokenRequest body = JSON.unmarshal(request.getUtf8Body(), TokenRequest.class);
        tokenRequests.add(Map.entry(body, String.valueOf(request.getHeader("Authorization"))));
        String impersonate = request.getHeader("Impersonate-User");
        impersonations.add(impersonate == null ? "" : impersonate);
        TokenRequestSpec spec = body.getSpec();
        String audience = audienceOverride != null ? audienceOverride : spec.getAudiences().get(0);
        long seconds = spec.getExpirationSeconds() == null ? 3600 : spec.getExpirationSeconds();
        String jwt = serviceAccountToken(audience, Duration.ofSeconds(seconds));
        return "{\"kind\":\"TokenRequest\",\"apiVersion\":\"authentication.k8s.io/v1\",\"metadata\":{\"name\":\""
                + SERVICE_ACCOUNT + "\",\"namespace\":\"" + NAMESPACE + "\"},\"spec\":" + JSON.asJson(spec)
                + ",\"status\":{"
                + "\"token\":\"" + jwt + "\",\"expirationTimestamp\":\"2026-11-23T11:00:00Z\"}}";
    }

    /** A token as the cluster signs it, with the {@code kubernetes.io} claim. */
    String serviceAccountToken(String audience, Duration lifetime) {
        return issuer.mint().subject(SUBJECT).audience(audience).lifetime(lifetime)
                .claim("kubernetes.io", Map.of("namespace", NAMESPACE,
                        "serviceaccount", Map.of("name", SERVICE_ACCOUNT, "uid", "6a0b1c2d"),
                        "pod", Map.of("name", "inference-worker-7d9f", "uid", "1e2f3a4b")))
                .sign();
    }

    /** A pod of this cluster: the service variables and the service-account mount, no projected token. */
    FakeDetectionContext.Builder pod() {
        String ca;
        try {
            ca = Files.readString(Path.of(apiServer.getSelfSignedCertificate().certificatePath()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return FakeDetectionContext.builder()
                // The certificate is for localhost, as an API server's is for its service address.
                .env("KUBERNETES_SERVICE_HOST", "localhost")
                .env("KUBERNETES_SERVICE_PORT", String.valueOf(apiServer.getPort()))
                .file(SA_DIR + "/token", serviceAccountToken(DEFAULT_AUDIENCE, Duration.ofHours(1)))
                .file(SA_DIR + "/namespace", NAMESPACE)
                .file(SA_DIR + "/ca.crt", ca);
    }

    @Override
    public void close() {
        apiServer.destroy();
        issuer.close();
    }
}
