package dev.wif4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** What {@link AuthentikEmulator.Builder} accepts of a provider's name. */
class AuthentikEmulatorTest {

    @Test
    void theProviderNameMakesTheServiceAccountsUsername() {
        try (AuthentikEmulator authentik = AuthentikEmulator.builder().providerName("claude-billing").start()) {
            assertEquals("ak-claude-billing-client_credentials", authentik.subject());
        }
    }

    @Test
    void aBlankProviderNameIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AuthentikEmulator.builder().providerName(" "));
        assertEquals("an authentik provider has a name; a blank one makes no username", e.getMessage());
    }
}
