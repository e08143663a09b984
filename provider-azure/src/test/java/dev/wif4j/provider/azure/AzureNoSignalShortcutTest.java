package dev.wif4j.provider.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.wif4j.provider.azure.internal.AzureSettings;
import dev.wif4j.spi.Detection;
import dev.wif4j.testkit.FakeDetectionContext;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The provider says "no Azure signal" before {@link AzureSettings} is loaded; that shortcut keeps the old verdict
 * only while it looks at every variable and setting the settings read. A variable added to the settings and not to
 * the shortcut fails here.
 */
class AzureNoSignalShortcutTest {
    @Test
    void theShortcutAsksForEverythingTheSettingsRead() {
        try (FakeDetectionContext settingsWorld = FakeDetectionContext.empty();
                FakeDetectionContext detectionWorld = FakeDetectionContext.empty()) {
            AzureSettings.from(settingsWorld);
            Detection verdict = new AzureIdentityProvider().detect(detectionWorld);

            assertFalse(verdict.isAvailable());
            assertEquals(Set.of(), settingsWorld.askedBeyond(detectionWorld),
                    "what the settings read and the shortcut does not look at");
        }
    }
}
