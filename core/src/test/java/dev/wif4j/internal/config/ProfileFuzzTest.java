package dev.wif4j.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wif4j.ConfigurationException;
import java.nio.file.Path;

/**
 * Fuzzes the profile-file parser ({@code <config_dir>/configs/<name>.json}): any bytes either give a
 * profile or a {@link ConfigurationException} naming the file, in a message of bounded length.
 */
class ProfileFuzzTest {
    private static final Path FILE = Path.of("/home/app/.config/anthropic/configs/fuzz.json");

    @FuzzTest(maxDuration = "10s")
    void parse(byte[] bytes) {
        ConfigResolver.Profile profile;
        try {
            profile = ConfigResolver.Profile.parse(bytes, FILE, "fuzz");
        } catch (ConfigurationException e) {
            assertTrue(e.getMessage().startsWith("The profile file " + FILE), e.getMessage());
            assertTrue(e.getMessage().length() < 1000, "an error message of " + e.getMessage().length() + " chars");
            return;
        }
        assertEquals("fuzz", profile.name());
        assertTrue(profile.identityTokenPath() == null || profile.identityTokenValue() == null);
        profile.describe();
    }
}
