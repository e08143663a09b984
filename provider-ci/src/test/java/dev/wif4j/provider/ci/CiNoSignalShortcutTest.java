package dev.wif4j.provider.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wif4j.provider.ci.internal.Ci;
import dev.wif4j.testkit.FakeDetectionContext;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The provider says "not a CI job" before the CI classes are loaded; that shortcut keeps {@link Ci#detect}'s verdict
 * only while it looks at every variable and setting {@code Ci.detect} reads. A CI system's signal added to
 * {@code CiSystem} and not to the shortcut fails here.
 */
class CiNoSignalShortcutTest {
    @Test
    void theShortcutAsksForEverythingTheFullDetectionReads() {
        try (FakeDetectionContext fullWorld = FakeDetectionContext.empty();
                FakeDetectionContext shortcutWorld = FakeDetectionContext.empty()) {
            String full = Ci.detect(fullWorld).message();
            String shortcut = new CiIdentityProvider().detect(shortcutWorld).message();

            assertEquals(full, shortcut);
            assertEquals(Set.of(), fullWorld.askedBeyond(shortcutWorld),
                    "what the full detection reads and the shortcut does not look at");
        }
    }
}
