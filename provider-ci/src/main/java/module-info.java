/**
 * The {@code ci} identity provider: the OIDC token a CI job is given by GitLab CI/CD, CircleCI, Bitbucket
 * Pipelines, Buildkite or HCP Terraform / Terraform Enterprise. Written on wif4j's SPI and its support kit, with
 * jackson-core (core's own JSON library) to write CircleCI's {@code --claims}.
 *
 * @provides dev.wif4j.spi.IdentityProvider the {@code ci} provider
 */
module dev.wif4j.provider.ci {
    requires transitive dev.wif4j;
    requires com.fasterxml.jackson.core;

    exports dev.wif4j.provider.ci;

    provides dev.wif4j.spi.IdentityProvider with dev.wif4j.provider.ci.CiIdentityProvider;
}
