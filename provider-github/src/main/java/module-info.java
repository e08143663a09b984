/**
 * The {@code github} identity provider: GitHub Actions OIDC tokens for jobs with
 * {@code permissions: id-token: write}.
 *
 * @provides dev.wif4j.spi.IdentityProvider the {@code github} provider
 */
module dev.wif4j.provider.github {
    requires transitive dev.wif4j;

    exports dev.wif4j.provider.github;

    provides dev.wif4j.spi.IdentityProvider with dev.wif4j.provider.github.GitHubActionsIdentityProvider;
}
