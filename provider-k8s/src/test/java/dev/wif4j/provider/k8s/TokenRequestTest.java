package dev.wif4j.provider.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.testkit.FakeDetectionContext;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The TokenRequest source against Fabric8's mock API server, over https with the pod's mounted CA. */
class TokenRequestTest {
    @RegisterExtension
    static final Started<K8sCluster> CLUSTER = new Started<>(K8sCluster::new);

    private static Map.Entry<TokenRequest, String> lastRequest() {
        List<Map.Entry<TokenRequest, String>> requests = CLUSTER.get().tokenRequests;
        return requests.get(requests.size() - 1);
    }

    @Test
    @DisplayName("the TokenRequest carries the configured audience and lifetime, authenticated by the mounted token")
    void audienceAndExpirationAreSent() {
        try (FakeDetectionContext pod = CLUSTER.get().pod().setting("k8s.audience", "api://claude")
                        .setting("k8s.expiration-seconds", "1800").build();
                IdentityTokenSource source = new K8sIdentityProvider().open(pod)) {
            IdentityToken token = source.fetch();
            TokenRequestSpec spec = lastRequest().getKey().getSpec();
            assertEquals(List.of("api://claude"), spec.getAudiences());
            assertEquals(1800L, spec.getExpirationSeconds());
            assertEquals("Bearer " + new String(java.nio.file.Files.readAllBytes(
                    pod.path(K8sCluster.SA_DIR + "/token"))), lastRequest().getValue());
            assertEquals(List.of("api://claude"), token.audience());
            assertEquals(K8sCluster.SUBJECT, token.subject().orElseThrow());
            assertEquals(1800, token.expiresAt().orElseThrow().getEpochSecond()
                    - token.issuedAt().orElseThrow().getEpochSecond());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    @DisplayName("by default it asks for https://api.anthropic.com for one hour, and logs the sub and iss once")
    void defaults() {
        try (FakeDetectionContext pod = CLUSTER.get().pod().build();
                IdentityTokenSource source = new K8sIdentityProvider().open(pod)) {
            source.fetch();
            source.fetch();
            TokenRequestSpec spec = lastRequest().getKey().getSpec();
            assertEquals("https://api.anthropic.com", spec.getAudiences().get(0));
            assertEquals(3600L, spec.getExpirationSeconds());
            List<String> described = pod.logLines().stream().filter(l -> l.contains("TokenRequest token")).toList();
            assertEquals(1, described.size(), pod.logLines().toString());
            assertTrue(described.get(0).contains("iss=" + CLUSTER.get().issuer.issuerUrl() + ", sub="
                    + K8sCluster.SUBJECT), described.get(0));
        }
    }

    @Test
    @DisplayName("a 403 names the exact RBAC rule to add for the pod's service account")
    void forbiddenNamesTheRbacRule() {
        try (FakeDetectionContext pod = CLUSTER.get().pod().setting("k8s.service-account", "no-rbac").build();
                IdentityTokenSource source = new K8sIdentityProvider().open(pod)) {
            IdentityTokenException e = assertThrows(IdentityTokenException.class, source::fetch);
            assertFalse(e.isRetryable());
            assertTrue(e.getMessage().startsWith("The TokenRequest for system:serviceaccount:inference:no-rbac "
                    + "(audience https://api.anthropic.com, 3600 s) at https://localhost:" + CLUSTER.get().apiServer.getPort()
                    + " was refused (HTTP 403 Forbidden): the service account may not create tokens for itself. "
                    + "Add this rule to a Role in namespace inference and bind it to the service account with a "
                    + "RoleBinding:\n"
                    + "  - apiGroups: [\"\"]\n"
                    + "    resources: [\"serviceaccounts/token\"]\n"
                    + "    verbs: [\"create\"]\n"
                    + "    resourceNames: [\"no-rbac\"]\n"), e.getMessage());
            assertTrue(e.getMessage().contains("--serviceaccount=inference:no-rbac"), e.getMessage());
        }
    }

    @Test
    @DisplayName("namespace and service account can be overridden")
    void overrides() {
        try (FakeDetectionContext pod = CLUSTER.get().pod().setting("k8s.namespace", "other")
                        .setting("k8s.service-account", "someone").build();
                IdentityTokenSource source = new K8sIdentityProvider().open(pod)) {
            assertEquals("TokenRequestSource[https://localhost:" + CLUSTER.get().apiServer.getPort()
                    + ", system:serviceaccount:other:someone, audience=https://api.anthropic.com, 3600s]",
                    source.toString());
        }
    }

    @Test
    @DisplayName("a lifetime under the API server's 600 s minimum, or not a number, is refused when opening")
    void badExpiration() {
        try (FakeDetectionContext pod = CLUSTER.get().pod().setting("k8s.expiration-seconds", "300").build()) {
            assertEquals("the setting k8s.expiration-seconds given in code is '300', but the API server refuses a "
                    + "TokenRequest under 600 seconds.", assertThrows(IdentityTokenException.class,
                            () -> new K8sIdentityProvider().open(pod)).getMessage());
        }
        try (FakeDetectionContext pod = CLUSTER.get().pod().env("WIF4J_K8S_EXPIRATION_SECONDS", "1h").build()) {
            assertEquals("WIF4J_K8S_EXPIRATION_SECONDS is '1h', but it must be a whole number from 1 to 4294967296.",
                    assertThrows(IdentityTokenException.class, () -> new K8sIdentityProvider().open(pod)).getMessage());
        }
    }

    @Test
    @DisplayName("a 503 is one request and a retryable error: Fabric8 does not retry, the exchange does")
    void serviceUnavailableIsOneRetryableRequest() {
        int before = CLUSTER.get().unavailableRequests.get();
        try (FakeDetectionContext pod = CLUSTER.get().pod()
                        .setting("k8s.service.account", K8sCluster.UNAVAILABLE_SERVICE_ACCOUNT).build();
                IdentityTokenSource source = new K8sIdentityProvider().open(pod)) {
            IdentityTokenException e = assertThrows(IdentityTokenException.class, source::fetch);
            assertTrue(e.isRetryable(), e.getMessage());
            assertTrue(e.getMessage().endsWith(" failed (HTTP 503)."), e.getMessage());
        }
        assertEquals(before + 1, CLUSTER.get().unavailableRequests.get());
    }

    @Test
    @DisplayName("an API server that cannot be reached is a retryable error that says so")
    void unreachableApiServer() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }
        try (FakeDetectionContext pod = CLUSTER.get().pod().env("KUBERNETES_SERVICE_PORT", String.valueOf(closedPort))
                        .build();
                IdentityTokenSource source = new K8sIdentityProvider().open(pod)) {
            IdentityTokenException e = assertThrows(IdentityTokenException.class, source::fetch);
            assertTrue(e.isRetryable(), e.getMessage());
            assertTrue(e.getMessage().contains("could not reach the API server"), e.getMessage());
        }
    }

    @Test
    @DisplayName("Fabric8 takes nothing from the JVM's own configuration: kubernetes.* properties are ignored")
    void fabric8IgnoresTheRealEnvironment() {
        Map<String, String> set = Map.of("kubernetes.master", "https://10.255.255.1:6443",
                "kubernetes.auth.token", "from-the-jvm", "kubernetes.namespace", "elsewhere",
                "kubeconfig", "/nonexistent/kubeconfig", "kubernetes.impersonate.username", "cluster-admin");
        Map<String, String> saved = new java.util.HashMap<>();
        set.forEach((k, v) -> {
            String old = System.getProperty(k);
            if (old != null) {
                saved.put(k, old);
            }
            System.setProperty(k, v);
        });
        try (FakeDetectionContext pod = CLUSTER.get().pod().build();
                IdentityTokenSource source = new K8sIdentityProvider().open(pod)) {
            assertEquals(K8sCluster.SUBJECT, source.fetch().subject().orElseThrow());
            assertFalse(lastRequest().getValue().contains("from-the-jvm"), "the JVM's kubernetes.auth.token was sent");
            assertEquals("", CLUSTER.get().impersonations.get(CLUSTER.get().impersonations.size() - 1),
                    "the JVM's kubernetes.impersonate.username was applied");
        } finally {
            set.keySet().forEach(k -> {
                if (saved.containsKey(k)) {
                    System.setProperty(k, saved.get(k));
                } else {
                    System.clearProperty(k);
                }
            });
        }
    }
}
