/**
 * The {@code github} identity provider ({@link dev.wif4j.provider.github.GitHubActionsIdentityProvider}):
 * identity tokens from GitHub Actions OIDC.
 * Found by {@link java.util.ServiceLoader}; applications need not name it.
 */
package dev.wif4j.provider.github;
