package dev.wif4j.provider.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wif4j.WorkloadIdentity;
import dev.wif4j.spi.Detection;
import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.spi.support.SettingException;
import dev.wif4j.testkit.FakeDetectionContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Detection through a fake context: which source, why, and never an API call. */
class K8sDetectionTest {
    @RegisterExtension
    static final Started<K8sCluster> CLUSTER = new Started<>(K8sCluster::new);

    private static Detection detect(FakeDetectionContext context) {
        int before = CLUSTER.get().apiServer.getRequestCount();
        Detection detection = new K8sIdentityProvider().detect(context);
        assertEquals(before, CLUSTER.get().apiServer.getRequestCount(), "detect() called the API server");
        assertEquals(List.of(), context.httpRequests(), "detect() used the network");
        return detection;
    }

    /** The message wif4j's detection report gives for the k8s provider in this pod. */
    private static String detectedByWif4j(FakeDetectionContext context) {
        return WorkloadIdentity.builder().context(context).detect().entries().stream()
                .filter(e -> e.id().equals("k8s")).findFirst().orElseThrow().message();
    }

    @Test
    @DisplayName("a projected token file: source file, with its sub and iss for the rule")
    void projectedFile() {
        String jwt = CLUSTER.get().issuer.mint().subject(K8sCluster.SUBJECT).sign();
        try (FakeDetectionContext pod = CLUSTER.get().pod().file(K8sCluster.PROJECTED, jwt).build()) {
            Detection detection = detect(pod);
            assertTrue(detection.isAvailable());
            assertEquals("projected token file /var/run/secrets/anthropic.com/token (the conventional path) exists; "
                    + "source: file; sub=system:serviceaccount:inference:inference-worker, iss="
                    + CLUSTER.get().issuer.issuerUrl() + ", aud=[https://api.anthropic.com]", detection.message());
        }
    }

    @Test
    @DisplayName("a projected file with only the default audience is still chosen, with a warning that says the fix")
    void projectedFileWithDefaultAudience() {
        String jwt = CLUSTER.get().issuer.mint().subject(K8sCluster.SUBJECT).audience(K8sCluster.DEFAULT_AUDIENCE).sign();
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
        try (FakeDetectionContext pod = CLUSTER.get().pod().build()) {
            Detection detection = detect(pod);
            assertTrue(detection.isAvailable());
            assertEquals("in a Kubernetes pod (KUBERNETES_SERVICE_HOST=localhost, service-account mount present) and "
                    + "no projected token at /var/run/secrets/anthropic.com/token (the conventional path); source: "
                    + "token-request, which asks the API server for a token for system:serviceaccount:inference:"
                    + "inference-worker with audience https://api.anthropic.com, iss=" + CLUSTER.get().issuer.issuerUrl()
                    + " (needs RBAC create on serviceaccounts/token)", detection.message());
            try (IdentityTokenSource source = new K8sIdentityProvider().open(pod)) {
                assertTrue(source.toString().startsWith("TokenRequestSource["), source.toString());
            }
        }
    }

    @Test
    @DisplayName("k8s.source=token-request wins over a present file; k8s.source=file wins over the cluster")
    void explicitSource() {
        String jwt = CLUSTER.get().issuer.mint().subject(K8sCluster.SUBJECT).sign();
        try (FakeDetectionContext pod = CLUSTER.get().pod().file(K8sCluster.PROJECTED, jwt)
                .env("WIF4J_K8S_SOURCE", "token-request").build()) {
            Detection detection = detect(pod);
            assertTrue(detection.message().contains("and k8s.source is token-request; source: token-request"),
                    detection.message());
            try (IdentityTokenSource source = new K8sIdentityProvider().open(pod)) {
                assertTrue(source.toString().startsWith("TokenRequestSource["), source.toString());
            }
        }
        try (FakeDetectionContext pod = CLUSTER.get().pod().setting("k8s.source", "file").build()) {
            Detection detection = detect(pod);
            assertFalse(detection.isAvailable());
            assertEquals("k8s.source is file but /var/run/secrets/anthropic.com/token (the conventional path) does not "
                    + "exist: mount a projected serviceAccountToken volume with audience https://api.anthropic.com "
                    + "there, or set k8s.token.path (WIF4J_K8S_TOKEN_PATH) to where it is mounted", detection.message());
        }
        try (FakeDetectionContext pod = CLUSTER.get().pod().setting("k8s.source", "secret").build()) {
            assertEquals("the setting k8s.source given in code is 'secret', but it must be file or token-request.",
                    assertThrows(SettingException.class, () -> detect(pod)).getMessage());
            assertEquals("the setting k8s.source given in code is 'secret', but it must be file or token-request.",
                    detectedByWif4j(pod));
        }
        try (FakeDetectionContext pod = CLUSTER.get().pod().env("WIF4J_K8S_TOKEN_PATH", "tokens/claude").build()) {
            assertEquals("WIF4J_K8S_TOKEN_PATH is 'tokens/claude', but it must be an absolute path.",
                    assertThrows(SettingException.class, () -> detect(pod)).getMessage());
            assertEquals("WIF4J_K8S_TOKEN_PATH is 'tokens/claude', but it must be an absolute path.",
                    detectedByWif4j(pod));
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

    @Test
    @DisplayName("a FIFO at the token path is not a token file: detection goes on without opening it")
    void fifoIsNotAFile() throws Exception {
        try (FakeDetectionContext pod = FakeDetectionContext.builder().env("WIF4J_K8S_TOKEN_PATH", "/run/claude/fifo")
                .build()) {
            Path fifo = Files.createDirectories(pod.path("/run/claude")).resolve("fifo");
            assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "no mkfifo here");
            Detection detection = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> detect(pod));
            assertEquals("not in a Kubernetes pod: KUBERNETES_SERVICE_HOST is not set and no projected token at "
                    + "/run/claude/fifo (k8s.token.path)", detection.message());
            try (IdentityTokenSource source = new K8sIdentityProvider().open(pod)) {
                assertEquals("The Kubernetes projected token file /run/claude/fifo (k8s.token.path): it is not a "
                        + "regular file (a FIFO, a device or a socket); it was not opened.", assertTimeoutPreemptively(Duration.ofSeconds(5),
                                () -> assertThrows(IdentityTokenException.class, source::fetch)).getMessage());
            }
        }
    }
}
