package dev.wif4j.spi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wif4j.spi.support.ProviderIds;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The hand-written checks accept exactly what the patterns they replaced accept. */
class NamesTest {
    /** ProviderSettings' rule for setting keys before it was written by hand. */
    private static final Pattern SETTING_KEY = Pattern.compile("[a-z0-9]+(\\.[a-z0-9]+)*");
    private static final String ALPHABET = "az09-..Z_ \u00e9\u0661\n";

    private static List<String> samples(long seed) {
        List<String> samples = new ArrayList<>(List.of("", "a", "-", "a-", "9a", "a9", ".", "a.", ".a", "a..b", "a.b",
                "token.path", "Token", "acme-vault", "a".repeat(63), "a".repeat(64), "a.b.c9.0"));
        Random random = new Random(seed);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder s = new StringBuilder();
            int n = random.nextInt(random.nextInt(10) == 0 ? 80 : 8);
            for (int j = 0; j < n; j++) {
                s.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            samples.add(s.toString());
        }
        return samples;
    }

    @Test
    void providerIdsHaveTheSameVerdictAsThePublishedPattern() {
        for (String s : samples(34)) {
            assertEquals(ProviderIds.PATTERN.matcher(s).matches(), Names.isProviderId(s), s);
            assertEquals(ProviderIds.PATTERN.matcher(s).matches(), ProviderIds.isValid(s), s);
        }
        assertFalse(Names.isProviderId(null));
    }

    @Test
    void settingKeysHaveTheSameVerdictAsThePattern() {
        for (String s : samples(35)) {
            assertEquals(SETTING_KEY.matcher(s).matches(), Names.isSettingKey(s), s);
        }
        assertFalse(Names.isSettingKey(null));
    }

    @Test
    void aMalformedProviderIdIsRefusedWithTheRule() {
        assertSame("acme-vault", ProviderIds.require("acme-vault"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProviderIds.require("Acme\n"));
        assertEquals("'Acme\\n' is not a provider id: ids are lower-case letters, digits and dashes, starting with a "
                + "letter, e.g. acme-vault", e.getMessage());
    }
}
