/**
 * The {@code ci} identity provider ({@link dev.wif4j.provider.ci.CiIdentityProvider}): the OIDC tokens of
 * GitLab CI/CD, CircleCI, Bitbucket Pipelines, Buildkite and HCP Terraform jobs.
 * Found by {@link java.util.ServiceLoader}; applications need not name it.
 */
package dev.wif4j.provider.ci;
