/**
 * The {@code authentik} identity provider: identity tokens from authentik, or any OIDC server (Okta,
 * Keycloak...), through the OAuth 2.0 client_credentials grant.
 *
 * @provides dev.wif4j.spi.IdentityProvider the {@code authentik} provider
 */
module dev.wif4j.provider.authentik {
    requires transitive dev.wif4j;

    exports dev.wif4j.provider.authentik;

    provides dev.wif4j.spi.IdentityProvider with dev.wif4j.provider.authentik.AuthentikIdentityProvider;
}
