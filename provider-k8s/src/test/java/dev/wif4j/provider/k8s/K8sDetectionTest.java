package dev.wif4j.provider.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.spi.Detection;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.testkit.FakeDetectionContext;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Detection through a fake context: which source, why, and never an API call. */
class K8sDetectionTest {
    static K8sCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new K8sCluster();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static Detection detect(FakeDetectionContext context) {
        int before = cluster.apiServer.getRequestCount();
        Detection detection = new K8sIdentityProvider().detect(context);
        assertEquals(before, cluster.apiServer.getRequestCount(), "detect() called the API server");
        assertEquals(List.of(), context.httpRequests(), "detect() used the network");
        return detection;
    }

    @Test
    @DisplayName("a projected token file: source file, with its sub and iss for the rule")
    void projectedFile() {
        String jwt = cluster.issuer.mint().subject(K8sCluster.SUBJECT).sign();
        try (FakeDetectionContext pod = cluster.pod().file(K8sCluster.PROJECTED, jwt).build()) {
            Detection detection = detect(pod);
            assertTrue(detection.isAvailable());
            assertEquals("projected token file /var/run/secrets/anthropic.com/token (the conventional path) exists; "
                    + "source: file; sub=system:serviceaccount:inference:inference-worker, iss="
                    + cluster.issuer.issuerUrl() + ", aud=[https://api.anthropic.com]", detection.message());
        }
    }

    @Test
    @DisplayName("a projected file with only the default audience is still chosen, with a warning that says the fix")
    void projectedFileWithDefaultAudience() {
        String jwt = cluster.issuer.mint().subject(K8sCluster.SUBJECT).audience(K8sCluster.DEFAULT_AUDIENCE).sign();
        try (FakeDetectionContext pod = FakeDetectionContext.builder().file(K8sCluster.PROJECTED, jwt).build()) {
            Detection detection = detect(pod);
            assertTrue(detection.isAvailable());
            assertTrue(detection.message().contains(". Warning: The token at /var/run/secrets/anthropic.com/token"),
                    detection.message());
            assertTrue(detection.message().contains("set `audience: https://api.anthropic.com`"), detection.message());
        }
    }

    @Test
    @DisplayName("in a pod without a projected file: source token-request, naming the service account and issuer")
    void tokenRequest() {
        try (FakeDetectionContext pod = cluster.pod().build()) {
            Detection detection = detect(pod);
            assertTrue(detection.isAvailable());
            assertEquals("in a Kubernetes pod (KUBERNETES_SERVICE_HOST=localhost, service-account mount present) and "
                    + "no projected token at /var/run/secrets/anthropic.com/token (the conventional path); source: "
                    + "token-request, which asks the API server for a token for system:serviceaccount:inference:"
                    + "inference-worker with audience https://api.anthropic.com, iss=" + cluster.issuer.issuerUrl()
                    + " (needs RBAC create on serviceaccounts/token)", detection.message());
            try (IdentityTokenSource source = new K8sIdentityProvider().open(pod)) {
                assertTrue(source.toString().startsWith("TokenRequestSource["), source.toString());
            }
        }
    }

    @Test
    @DisplayName("k8s.source=token-request wins over a present file; k8s.source=file wins over the cluster")
    void explicitSource() {
        String jwt = cluster.issuer.mint().subject(K8sCluster.SUBJECT).sign();
        try (FakeDetectionContext pod = cluster.pod().file(K8sCluster.PROJECTED, jwt)
                .env("WIF4J_K8S_SOURCE", "token-request").build()) {
            Detection detection = detect(pod);
            assertTrue(detection.message().contains("and k8s.source is token-request; source: token-request"),
                    detection.message());
            try (IdentityTokenSource source = new K8sIdentityProvider().open(pod)) {
                assertTrue(source.toString().startsWith("TokenRequestSource["), source.toString());
            }
        }
        try (FakeDetectionContext pod = cluster.pod().setting("k8s.source", "file").build()) {
            Detection detection = detect(pod);
            assertFalse(detection.isAvailable());
            assertEquals("k8s.source is file but /var/run/secrets/anthropic.com/token (the conventional path) does not "
                    + "exist: mount a projected serviceAccountToken volume with audience https://api.anthropic.com "
                    + "there, or set k8s.token.path (WIF4J_K8S_TOKEN_PATH) to where it is mounted", detection.message());
        }
        try (FakeDetectionContext pod = cluster.pod().setting("k8s.source", "secret").build()) {
            assertEquals("k8s.source (WIF4J_K8S_SOURCE) is 'secret': use file or token-request", detect(pod).message());
        }
    }

    @Test
    @DisplayName("outside a cluster and without a file: unavailable, saying what is missing")
    void none() {
        try (FakeDetectionContext context = FakeDetectionContext.empty()) {
            Detection detection = detect(context);
            assertFalse(detection.isAvailable());
            assertEquals("not in a Kubernetes pod: KUBERNETES_SERVICE_HOST is not set and no projected token at "
                    + "/var/run/secrets/anthropic.com/token (the conventional path)", detection.message());
        }
    }

    @Test
    @DisplayName("in a pod with automountServiceAccountToken: false and no file: unavailable, with the fix")
    void podWithoutMount() {
        try (FakeDetectionContext pod = FakeDetectionContext.builder().env("KUBERNETES_SERVICE_HOST", "10.96.0.1")
                .env("WIF4J_K8S_TOKEN_PATH", "/run/claude/token").build()) {
            Detection detection = detect(pod);
            assertFalse(detection.isAvailable());
            assertEquals("KUBERNETES_SERVICE_HOST is set but no projected token at /run/claude/token (k8s.token.path) "
                    + "and no service-account token at /var/run/secrets/kubernetes.io/serviceaccount/token "
                    + "(automountServiceAccountToken: false?): mount a projected serviceAccountToken volume with "
                    + "audience https://api.anthropic.com at /run/claude/token, or set k8s.token.path "
                    + "(WIF4J_K8S_TOKEN_PATH) to where it is mounted", detection.message());
        }
    }
}
