package dev.wif4j.provider.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.OidcIssuer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The projected-file source: kubelet rotation, and the audience check. */
class ProjectedTokenTest {
    @RegisterExtension
    static final Started<OidcIssuer> ISSUER = new Started<>(OidcIssuer::start);

    /** Version {@code v} of the token, padded so versions differ in length and a torn read cannot parse as one. */
    private static String version(int v) {
        return ISSUER.get().mint().subject(K8sCluster.SUBJECT).claim("v", v).claim("pad", "x".repeat((v * 37) % 700))
                .sign();
    }

    /** Writes a version the way the kubelet's AtomicWriter does: a new timestamped directory, then the link. */
    private static Path writeVersionDirectory(Path volume, int v, String token) throws IOException {
        Path dir = volume.resolve(String.format("..2026_11_23_10_%02d_%02d.%09d", v / 60 % 60, v % 60, 100 + v));
        Files.createDirectory(dir);
        Files.writeString(dir.resolve("token"), token);
        return dir;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    @DisplayName("a kubelet rotation (..data swapped atomically) during concurrent fetches: every fetch is one whole "
            + "token, and the new one once the swap is done")
    void kubeletRotationWhileFetching() throws Exception {
        int rotations = 60;
        List<String> tokens = new ArrayList<>();
        for (int v = 0; v <= rotations; v++) {
            tokens.add(version(v));
        }
        try (FakeDetectionContext pod = FakeDetectionContext.builder().build()) {
            Path volume = pod.path("/var/run/secrets/anthropic.com");
            Files.createDirectories(volume);
            Path current = writeVersionDirectory(volume, 0, tokens.get(0));
            Files.createSymbolicLink(volume.resolve("..data"), current.getFileName());
            Files.createSymbolicLink(volume.resolve("token"), Path.of("..data/token"));

            AtomicInteger swapped = new AtomicInteger(0);      // the last version whose swap has completed
            AtomicInteger seenAfter = new AtomicInteger(-1);   // the last version a fetch started after
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger fetches = new AtomicInteger();
            try (IdentityTokenSource source = new K8sIdentityProvider().open(pod)) {
                CompletableFuture<Void> fetcher = CompletableFuture.runAsync(() -> {
                    while (!stop.get()) {
                        int before = swapped.get();
                        IdentityToken token = source.fetch();
                        int v = ((Number) token.claims().get("v")).intValue();
                        assertEquals(tokens.get(v), token.serialized(), "a torn or mixed token");
                        assertTrue(v >= before, "fetched version " + v + " after version " + before + " was swapped in");
                        seenAfter.accumulateAndGet(before, Math::max);
                        fetches.incrementAndGet();
                    }
                });
                for (int v = 1; v <= rotations; v++) {
                    Path next = writeVersionDirectory(volume, v, tokens.get(v));
                    Path tmp = volume.resolve("..data_tmp");
                    Files.createSymbolicLink(tmp, next.getFileName());
                    Files.move(tmp, volume.resolve("..data"), StandardCopyOption.ATOMIC_MOVE,
                            StandardCopyOption.REPLACE_EXISTING);
                    deleteTree(current);
                    current = next;
                    swapped.set(v);
                    // Let at least one fetch start after this swap before the next one, so each version is read.
                    int expected = v;
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (seenAfter.get() < expected && !fetcher.isDone() && System.nanoTime() < deadline) {
                        Thread.onSpinWait();
                    }
                    assertFalse(fetcher.isDone(), () -> "the fetcher stopped: " + fetcher.handle((r, e) -> e).join());
                }
                stop.set(true);
                fetcher.get(10, TimeUnit.SECONDS);
                assertEquals(rotations, seenAfter.get(), "a fetch started after every swap");
                assertTrue(fetches.get() >= rotations, "fetches: " + fetches.get());
                assertEquals(tokens.get(rotations), source.fetch().serialized());
            }
        }
    }

    @Test
    @DisplayName("a token with only the cluster's default audience is refused, with the projected-volume fix")
    void defaultAudienceIsRefused() {
        String jwt = ISSUER.get().mint().subject(K8sCluster.SUBJECT).audience(K8sCluster.DEFAULT_AUDIENCE).sign();
        try (FakeDetectionContext pod = FakeDetectionContext.builder().file(K8sCluster.PROJECTED, jwt).build();
                IdentityTokenSource source = new K8sIdentityProvider().open(pod)) {
            IdentityTokenException e = assertThrows(IdentityTokenException.class, source::fetch);
            assertEquals("The token at /var/run/secrets/anthropic.com/token (sub=system:serviceaccount:inference:"
                    + "inference-worker, iss=" + ISSUER.get().issuerUrl() + ", aud=[https://kubernetes.default.svc.cluster"
                    + ".local]) carries only the cluster's default audience, not https://api.anthropic.com. Every pod "
                    + "has such tokens, so a federation rule must not accept them; set `audience: "
                    + "https://api.anthropic.com` on the serviceAccountToken source of the projected volume (volumes: "
                    + "- projected: sources: - serviceAccountToken: audience: https://api.anthropic.com, "
                    + "expirationSeconds: 3600, path: token).", e.getMessage());
        }
    }

    @Test
    @DisplayName("EKS's sts.amazonaws.com counts as a default audience; another audience names k8s.audience too")
    void otherAudiences() {
        String sts = ISSUER.get().mint().subject(K8sCluster.SUBJECT).audience("sts.amazonaws.com").sign();
        try (FakeDetectionContext pod = FakeDetectionContext.builder().file(K8sCluster.PROJECTED, sts).build();
                IdentityTokenSource source = new K8sIdentityProvider().open(pod)) {
            assertTrue(assertThrows(IdentityTokenException.class, source::fetch).getMessage()
                    .contains("carries only the cluster's default audience"));
        }
        String other = ISSUER.get().mint().subject(K8sCluster.SUBJECT).audience("api://claude").sign();
        try (FakeDetectionContext pod = FakeDetectionContext.builder().file(K8sCluster.PROJECTED, other).build();
                IdentityTokenSource source = new K8sIdentityProvider().open(pod)) {
            String message = assertThrows(IdentityTokenException.class, source::fetch).getMessage();
            assertTrue(message.contains("is not for https://api.anthropic.com") && message.contains("k8s.audience"),
                    message);
        }
        try (FakeDetectionContext pod = FakeDetectionContext.builder().file(K8sCluster.PROJECTED, other)
                        .env("WIF4J_K8S_AUDIENCE", "api://claude").build();
                IdentityTokenSource source = new K8sIdentityProvider().open(pod)) {
            assertEquals(List.of("api://claude"), source.fetch().audience());
        }
    }

    @Test
    @DisplayName("the path comes from WIF4J_K8S_TOKEN_PATH, and a missing or empty file says which")
    void configuredPathAndBrokenFiles() {
        String jwt = ISSUER.get().mint().subject(K8sCluster.SUBJECT).sign();
        try (FakeDetectionContext pod = FakeDetectionContext.builder().env("WIF4J_K8S_TOKEN_PATH", "/tokens/claude")
                        .file("/tokens/claude", jwt + "\n").build();
                IdentityTokenSource source = new K8sIdentityProvider().open(pod)) {
            assertEquals(jwt, source.fetch().serialized());
            pod.writeFile("/tokens/claude", "  ");
            assertEquals("The Kubernetes projected token file /tokens/claude (k8s.token.path): the file is empty "
                    + "(only whitespace).",
                    assertThrows(IdentityTokenException.class, source::fetch).getMessage());
            pod.writeFile("/tokens/claude", "not-a-jwt");
            String message = assertThrows(IdentityTokenException.class, source::fetch).getMessage();
            assertTrue(message.startsWith("The Kubernetes projected token file /tokens/claude (k8s.token.path): it "
                    + "does not hold a JWT"), message);
            assertFalse(message.contains("not-a-jwt"), message);
        }
    }
}
