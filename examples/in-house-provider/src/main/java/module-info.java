/**
 * An in-house wif4j identity provider, {@code acme-vault}: identity tokens from HashiCorp Vault's identity
 * secrets engine. It exports nothing: wif4j finds it through {@code provides}, and the class path finds it
 * through {@code META-INF/services/dev.wif4j.spi.IdentityProvider}.
 *
 * @provides dev.wif4j.spi.IdentityProvider the {@code acme-vault} provider
 */
module com.acme.wif4j.vault {
    requires dev.wif4j;
    provides dev.wif4j.spi.IdentityProvider with com.acme.wif4j.vault.VaultIdentityProvider;
}
