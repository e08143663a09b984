package com.acme.wif4j.vault;

import dev.wif4j.spi.Detection;
import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.IdentityProvider;
import dev.wif4j.spi.IdentityTokenSource;

/**
 * The {@code acme-vault} provider: identity tokens from HashiCorp Vault's identity secrets engine, a new JWT on every
 * {@code GET $VAULT_ADDR/v1/identity/oidc/token/<role>}, its {@code aud} the role's {@code client_id}.
 *
 * <p>Available when a role ({@code WIF4J_ACME_VAULT_ROLE}), Vault's address ({@code VAULT_ADDR}) and a Vault token
 * ({@code VAULT_TOKEN}, or a file such as Vault agent's sink) are set; detection never calls Vault, and pinned
 * ({@code WIF4J_PROVIDER=acme-vault}) does not wait for the file. Priority 60: a role set for wif4j says more than
 * the cloud a workload runs on.
 */
public final class VaultIdentityProvider implements IdentityProvider {
    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public VaultIdentityProvider() {}

    @Override
    public String id() {
        return VaultSettings.ID;
    }

    @Override
    public int priority() {
        return 60;
    }

    @Override
    public Detection detect(DetectionContext context) {
        String notSetUp = VaultSettings.notSetUp(context);
        if (!notSetUp.isEmpty()) {
            return Detection.unavailable(notSetUp);
        }
        // Any other bad setting is a SettingException: wif4j reports this provider unavailable with its message.
        VaultSettings settings = new VaultSettings(context);
        if (settings.tokenFile != null && !settings.tokenFile.exists()) {
            if (!context.pinned()) {
                return Detection.unavailable(settings.evidence + ", but that file does not exist: start Vault agent "
                        + "with a file sink there, or choose this provider with WIF4J_PROVIDER=acme-vault to wait for it");
            }
            return Detection.available(settings.evidence + "; the file does not exist yet, and is read on every fetch");
        }
        return Detection.available(settings.evidence);
    }

    @Override
    public IdentityTokenSource open(DetectionContext context) {
        return new VaultTokenSource(new VaultSettings(context), context);
    }
}
