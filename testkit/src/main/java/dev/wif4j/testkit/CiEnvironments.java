package dev.wif4j.testkit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The environment a CI job sees, for GitLab CI/CD, CircleCI, Bitbucket Pipelines, Buildkite and HCP Terraform:
 * the variables each system sets, with a token minted by the test's {@link OidcIssuer} carrying that system's
 * {@code sub} shape and claims. The issuer is the test's (a loopback URL), so {@link AnthropicEmulator} can verify
 * the tokens; the rest imitates the real system. Pass the maps to {@link FakeDetectionContext.Builder#env(Map)}.
 *
 * <pre>{@code
 * FakeDetectionContext job = FakeDetectionContext.builder().env(CiEnvironments.gitLab(issuer)).build();
 * }</pre>
 *
 * <p>Buildkite (and CircleCI with a custom audience) print tokens from a command ({@code buildkite-agent},
 * {@code circleci}): a test puts an executable of that name, printing a token from {@link #buildkiteToken} or
 * {@link #circleCiToken}, where the job's {@code PATH} (or the tool's usual place) finds it.
 */
public final class CiEnvironments {
    /** The variable wif4j reads in GitLab unless told otherwise, as the job's {@code id_tokens:} names it. */
    public static final String GITLAB_VARIABLE = "ANTHROPIC_ID_TOKEN";
    /** The {@code sub} of GitLab tokens here: project {@code acme/app}, branch {@code main}. */
    public static final String GITLAB_SUBJECT = "project_path:acme/app:ref_type:branch:ref:main";
    /** The CircleCI organization id, also the {@code aud} of its job tokens. */
    public static final String CIRCLECI_ORGANIZATION_ID = "0b5e4c38-6c4a-4f4e-9d3e-1c2b3a4d5e6f";
    /** The CircleCI project id. */
    public static final String CIRCLECI_PROJECT_ID = "7d1f0a92-3b8c-4e5d-a6f7-8091a2b3c4d5";
    /** The {@code sub} of CircleCI's V2 tokens here. */
    public static final String CIRCLECI_SUBJECT = "org/" + CIRCLECI_ORGANIZATION_ID + "/project/" + CIRCLECI_PROJECT_ID
            + "/user/5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f/vcs-origin/github.com/acme/app/vcs-ref/refs/heads/main";
    /** The Bitbucket repository UUID, braces included, as its tokens' {@code repositoryUuid} claim holds it. */
    public static final String BITBUCKET_REPOSITORY_UUID = "{3c1b2a4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d}";
    /** The Bitbucket step UUID of the job. */
    public static final String BITBUCKET_STEP_UUID = "{9f8e7d6c-5b4a-4c3d-2e1f-0a9b8c7d6e5f}";
    /** The {@code aud} of Bitbucket tokens: the workspace's. */
    public static final String BITBUCKET_AUDIENCE = "ari:cloud:bitbucket::workspace/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
    /** The {@code sub} of Bitbucket tokens here (the real one names the repository and the step). */
    public static final String BITBUCKET_SUBJECT = BITBUCKET_REPOSITORY_UUID + ":" + BITBUCKET_STEP_UUID;
    /** The {@code sub} of Buildkite tokens here: organization {@code acme}, pipeline {@code deploy}. */
    public static final String BUILDKITE_SUBJECT = "organization:acme:pipeline:deploy:ref:refs/heads/main"
            + ":commit:4b825dc642cb6eb9a060e54bf8d69288fbee4904:step:claude";
    /** The Buildkite organization UUID, the {@code organization_id} claim. */
    public static final String BUILDKITE_ORGANIZATION_ID = "6e5d4c3b-2a19-4f8e-b7d6-c5b4a3928170";
    /** The {@code sub} of HCP Terraform tokens here: an apply of workspace {@code prod}. */
    public static final String TERRAFORM_SUBJECT = "organization:acme:project:Default Project:workspace:prod:run_phase:apply";

    private CiEnvironments() {
    }

    /**
     * A GitLab token as an {@code id_tokens:} entry with {@code aud: <audience>} gets it.
     *
     * @param issuer the issuer
     * @param audience the {@code aud} the job asked for
     * @return the token to sign, or to change first (its lifetime, say)
     */
    public static OidcIssuer.TokenBuilder gitLabToken(OidcIssuer issuer, String audience) {
        return issuer.mint().subject(GITLAB_SUBJECT).audience(audience).claim("project_path", "acme/app")
                .claim("namespace_path", "acme").claim("ref", "main").claim("ref_type", "branch")
                .claim("ref_protected", "true").claim("pipeline_source", "push");
    }

    /**
     * A GitLab job whose {@code .gitlab-ci.yml} asks for an ID token in {@link #GITLAB_VARIABLE} for Anthropic.
     *
     * @param issuer the issuer
     * @return the variables
     */
    public static Map<String, String> gitLab(OidcIssuer issuer) {
        return gitLab(GITLAB_VARIABLE, gitLabToken(issuer, OidcIssuer.DEFAULT_AUDIENCE).sign());
    }

    /**
     * A GitLab job with a token in a variable of its choosing.
     *
     * @param variable the variable {@code id_tokens:} names
     * @param jwt the token
     * @return the variables
     */
    public static Map<String, String> gitLab(String variable, String jwt) {
        Map<String, String> env = gitLabWithoutIdToken();
        env.put(Objects.requireNonNull(variable), Objects.requireNonNull(jwt));
        return env;
    }

    /** @return a GitLab job whose {@code .gitlab-ci.yml} asks for no ID token */
    public static Map<String, String> gitLabWithoutIdToken() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CI", "true");
        env.put("GITLAB_CI", "true");
        return env;
    }

    /**
     * A CircleCI job token, V2: {@code aud} is the organization id unless asked otherwise.
     *
     * @param issuer the issuer
     * @param audience the {@code aud}
     * @return the token to sign
     */
    public static OidcIssuer.TokenBuilder circleCiToken(OidcIssuer issuer, String audience) {
        return issuer.mint().subject(CIRCLECI_SUBJECT).audience(audience)
                .claim("oidc.circleci.com/project-id", CIRCLECI_PROJECT_ID)
                .claim("oidc.circleci.com/org-id", CIRCLECI_ORGANIZATION_ID)
                .claim("oidc.circleci.com/vcs-origin", "github.com/acme/app")
                .claim("oidc.circleci.com/vcs-ref", "refs/heads/main");
    }

    /**
     * A CircleCI job, with {@code CIRCLE_OIDC_TOKEN_V2} (and the older {@code CIRCLE_OIDC_TOKEN}).
     *
     * @param issuer the issuer
     * @return the variables
     */
    public static Map<String, String> circleCi(OidcIssuer issuer) {
        Map<String, String> env = circleCiWithoutToken();
        env.put("CIRCLE_OIDC_TOKEN", issuer.mint().subject("org/" + CIRCLECI_ORGANIZATION_ID + "/project/"
                + CIRCLECI_PROJECT_ID + "/user/5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f")
                .audience(CIRCLECI_ORGANIZATION_ID).sign());
        env.put("CIRCLE_OIDC_TOKEN_V2", circleCiToken(issuer, CIRCLECI_ORGANIZATION_ID).sign());
        return env;
    }

    /** @return a CircleCI job without OIDC tokens */
    public static Map<String, String> circleCiWithoutToken() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CI", "true");
        env.put("CIRCLECI", "true");
        return env;
    }

    /**
     * A Bitbucket Pipelines step token.
     *
     * @param issuer the issuer
     * @return the token to sign
     */
    public static OidcIssuer.TokenBuilder bitbucketToken(OidcIssuer issuer) {
        return issuer.mint().subject(BITBUCKET_SUBJECT).audience(BITBUCKET_AUDIENCE)
                .claim("repositoryUuid", BITBUCKET_REPOSITORY_UUID).claim("stepUuid", BITBUCKET_STEP_UUID)
                .claim("branchName", "main");
    }

    /**
     * A Bitbucket Pipelines step with {@code oidc: true}.
     *
     * @param issuer the issuer
     * @return the variables
     */
    public static Map<String, String> bitbucket(OidcIssuer issuer) {
        Map<String, String> env = bitbucketWithoutOidc();
        env.put("BITBUCKET_STEP_OIDC_TOKEN", bitbucketToken(issuer).sign());
        return env;
    }

    /** @return a Bitbucket Pipelines step without {@code oidc: true} */
    public static Map<String, String> bitbucketWithoutOidc() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CI", "true");
        env.put("BITBUCKET_STEP_UUID", BITBUCKET_STEP_UUID);
        env.put("BITBUCKET_BUILD_NUMBER", "42");
        return env;
    }

    /**
     * A token as {@code buildkite-agent oidc request-token --audience <audience>} prints it.
     *
     * @param issuer the issuer
     * @param audience the audience asked for
     * @return the token to sign, for the command to print
     */
    public static OidcIssuer.TokenBuilder buildkiteToken(OidcIssuer issuer, String audience) {
        return issuer.mint().subject(BUILDKITE_SUBJECT).audience(audience).lifetime(java.time.Duration.ofMinutes(5))
                .claim("organization_slug", "acme").claim("organization_id", BUILDKITE_ORGANIZATION_ID)
                .claim("pipeline_slug", "deploy").claim("build_branch", "main");
    }

    /**
     * A Buildkite job, with {@code buildkite-agent} expected in a PATH directory.
     *
     * @param pathDirectory the PATH entry, as the job sees it, e.g. {@code /usr/local/bin}
     * @return the variables
     */
    public static Map<String, String> buildkite(String pathDirectory) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CI", "true");
        env.put("BUILDKITE", "true");
        env.put("BUILDKITE_ORGANIZATION_SLUG", "acme");
        env.put("BUILDKITE_PIPELINE_SLUG", "deploy");
        env.put("PATH", Objects.requireNonNull(pathDirectory));
        return env;
    }

    /**
     * An HCP Terraform workload identity token.
     *
     * @param issuer the issuer
     * @param audience the workspace's {@code TFC_WORKLOAD_IDENTITY_AUDIENCE}
     * @return the token to sign
     */
    public static OidcIssuer.TokenBuilder terraformToken(OidcIssuer issuer, String audience) {
        return issuer.mint().subject(TERRAFORM_SUBJECT).audience(audience)
                .claim("terraform_organization_name", "acme").claim("terraform_project_name", "Default Project")
                .claim("terraform_workspace_name", "prod").claim("terraform_run_phase", "apply");
    }

    /**
     * An HCP Terraform run of a workspace that sets {@code TFC_WORKLOAD_IDENTITY_AUDIENCE} (or, with a tag,
     * {@code TFC_WORKLOAD_IDENTITY_AUDIENCE_<TAG>}) to Anthropic's audience.
     *
     * @param issuer the issuer
     * @param tag the tag, or {@code null} for the untagged token
     * @return the variables
     */
    public static Map<String, String> terraform(OidcIssuer issuer, String tag) {
        String suffix = tag == null ? "" : "_" + tag;
        Map<String, String> env = new LinkedHashMap<>();
        env.put("TFC_WORKLOAD_IDENTITY_AUDIENCE" + suffix, OidcIssuer.DEFAULT_AUDIENCE);
        env.put("TFC_WORKLOAD_IDENTITY_TOKEN" + suffix, terraformToken(issuer, OidcIssuer.DEFAULT_AUDIENCE).sign());
        return env;
    }
}
