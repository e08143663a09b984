package com.acme.wif4j.vault;

import dev.wif4j.spi.IdentityProvider;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.IdentityProviderContract;
import dev.wif4j.testkit.OidcIssuer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The same contract every built-in provider passes, against the Vault emulator: well-formed id, registered
 * for ServiceLoader, unavailable and off the network without its signals, never throwing from detect, fresh
 * tokens on every fetch, dotted setting keys, and no token in any toString or log line.
 */
class VaultIdentityProviderContractTest extends IdentityProviderContract {
    private static OidcIssuer issuer;
    private static VaultEmulator vault;

    @BeforeAll
    static void startVault() {
        issuer = OidcIssuer.start();
        vault = VaultEmulator.start(issuer).role("wif4j", OidcIssuer.DEFAULT_AUDIENCE).acceptToken("hvs.contract");
    }

    @AfterAll
    static void stopVault() {
        vault.close();
        issuer.close();
    }

    @Override
    protected IdentityProvider provider() {
        return new VaultIdentityProvider();
    }

    @Override
    protected FakeDetectionContext availableContext() {
        return FakeDetectionContext.builder()
                .env("VAULT_ADDR", vault.address())
                .env("VAULT_TOKEN", "hvs.contract")
                .env("WIF4J_ACME_VAULT_ROLE", "wif4j")
                .build();
    }
}
