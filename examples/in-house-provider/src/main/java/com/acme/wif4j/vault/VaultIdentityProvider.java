package com.acme.wif4j.vault;

import dev.wif4j.spi.Detection;
import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.IdentityProvider;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.spi.support.SettingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code acme-vault} provider: identity tokens from HashiCorp Vault's identity secrets engine,
 * {@code GET $VAULT_ADDR/v1/identity/oidc/token/<role>} with the header {@code X-Vault-Token} (and
 * {@code X-Vault-Namespace} in a Vault Enterprise namespace). Vault signs a new JWT on every call; its
 * {@code aud} is the role's {@code client_id}, so the role is created with
 * {@code client_id=https://api.anthropic.com} (and that id listed in its key's {@code allowed_client_ids}).
 *
 * <p>Available when Vault's address ({@code VAULT_ADDR}), a role ({@code WIF4J_ACME_VAULT_ROLE}) and a Vault
 * token ({@code VAULT_TOKEN}, or a token file such as Vault agent's sink) are configured; detection reads
 * settings and checks that the token file exists, and never calls Vault. Pinned
 * ({@code WIF4J_PROVIDER=acme-vault}), it is available before Vault agent has written the token file.
 *
 * <p>Priority 60: a role configured for wif4j is the most explicit signal there is, stronger than the
 * cloud a workload happens to run on.
 */
public final class VaultIdentityProvider implements IdentityProvider {

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public VaultIdentityProvider() {
    }

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
        VaultSettings settings;
        try {
            settings = VaultSettings.read(context);
        } catch (SettingException e) {
            // wif4j would turn it into "unavailable" too; catching it keeps detect() total for any caller.
            return Detection.unavailable(e.getMessage());
        }
        String evidence = settings.addressSource() + " is " + settings.address() + ", role '" + settings.role()
                + "' (" + settings.roleSource() + ")" + settings.namespace().map(ns -> ", namespace " + ns).orElse("")
                + ", Vault token from " + settings.tokenOrigin();
        Optional<Path> file = settings.tokenFile();
        if (file.isPresent() && !Files.isRegularFile(file.get())) {
            if (!context.pinned()) {
                return Detection.unavailable(evidence + ", but that file does not exist: start Vault agent with a "
                        + "file sink there, or choose this provider with WIF4J_PROVIDER=acme-vault to wait for it");
            }
            return Detection.available(evidence + "; the file does not exist yet, and is read on every fetch");
        }
        return Detection.available(evidence);
    }

    @Override
    public IdentityTokenSource open(DetectionContext context) {
        return new VaultTokenSource(VaultSettings.read(context), context);
    }

    @Override
    public String toString() {
        return "VaultIdentityProvider";
    }
}
