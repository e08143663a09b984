/**
 * The {@code authentik} identity provider ({@link
 * dev.wif4j.provider.authentik.AuthentikIdentityProvider}): identity tokens from authentik, or any OIDC
 * server, through the client_credentials grant.
 * Found by {@link java.util.ServiceLoader}; applications need not name it.
 */
package dev.wif4j.provider.authentik;
