package dev.wif4j.provider.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.wif4j.provider.k8s.internal.PodEnvironment;
import dev.wif4j.spi.Detection;
import dev.wif4j.testkit.FakeDetectionContext;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The provider says "not in a Kubernetes pod" before {@link PodEnvironment} is loaded; that shortcut keeps the old
 * verdict only while it looks at every variable and setting the pod's environment reads. One added there and not to
 * the shortcut fails here.
 */
class K8sNoSignalShortcutTest {
    @Test
    void theShortcutAsksForEverythingThePodEnvironmentReads() {
        try (FakeDetectionContext podWorld = FakeDetectionContext.empty();
                FakeDetectionContext shortcutWorld = FakeDetectionContext.empty()) {
            PodEnvironment pod = new PodEnvironment(podWorld);
            pod.source();
            pod.tokenPath();
            pod.tokenPathOrigin();
            Detection verdict = new K8sIdentityProvider().detect(shortcutWorld);

            assertFalse(verdict.isAvailable());
            assertEquals(Set.of(), podWorld.askedBeyond(shortcutWorld),
                    "what the pod's environment reads and the shortcut does not look at");
        }
    }
}
