package dev.wif4j.provider.ci;

import dev.wif4j.provider.ci.internal.Ci;
import dev.wif4j.provider.ci.internal.CiSystem;
import dev.wif4j.spi.Detection;
import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.IdentityProvider;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.spi.support.ProviderSettings;

/**
 * The {@code ci} provider: the OIDC token a CI job gets from its CI system, for the systems other than GitHub
 * Actions (which has the {@code github} provider). It detects the system from the variables it sets in every job,
 * in this order, unless the setting {@code ci.system} names one:
 * <table>
 *   <caption>Systems</caption>
 *   <tr><th>{@code ci.system}</th><th>signal</th><th>token</th></tr>
 *   <tr><td>{@code gitlab}</td><td>{@code GITLAB_CI=true}</td><td>the variable an {@code id_tokens:} entry names:
 *       {@code ci.gitlab.variable}, default {@code ANTHROPIC_ID_TOKEN}</td></tr>
 *   <tr><td>{@code circleci}</td><td>{@code CIRCLECI=true}</td><td>{@code CIRCLE_OIDC_TOKEN_V2}; with an audience
 *       configured ({@code ci.audience} or {@code audience}) and the {@code circleci} CLI on PATH,
 *       {@code circleci run oidc get --claims {"aud":...}} on every fetch</td></tr>
 *   <tr><td>{@code bitbucket}</td><td>{@code BITBUCKET_STEP_UUID}</td><td>{@code BITBUCKET_STEP_OIDC_TOKEN}
 *       (a step with {@code oidc: true})</td></tr>
 *   <tr><td>{@code buildkite}</td><td>{@code BUILDKITE=true}</td><td>{@code buildkite-agent oidc request-token
 *       --audience <aud>} on every fetch</td></tr>
 *   <tr><td>{@code terraform}</td><td>{@code TFC_WORKLOAD_IDENTITY_AUDIENCE} or {@code _TOKEN}</td>
 *       <td>{@code TFC_WORKLOAD_IDENTITY_TOKEN}, or {@code TFC_WORKLOAD_IDENTITY_TOKEN_<TAG>} with
 *       {@code ci.terraform.tag}</td></tr>
 * </table>
 *
 * <p>A token read from a variable is the same on every fetch and cannot be renewed; Anthropic accepts each
 * {@code jti} once, so it serves one exchange, which suits jobs shorter than one access token's life. Detection
 * states its expiry; once it has expired, a fetch fails and names the job setting that sets its lifetime. A tool
 * run per fetch gives a new token each time, bounded by the fetch timeout.
 *
 * <p>Priority 45: a CI job on cloud hardware (a GitLab runner on a GCE VM, a Buildkite agent in a pod) also sees
 * its cloud's and cluster's identity, and the job's is the one meant; above {@code github} (40) only because the
 * two never meet, below an explicitly configured {@code authentik} (50).
 */
public final class CiIdentityProvider implements IdentityProvider {

    private static final String[] SIGNAL_VARIABLES = {"GITLAB_CI", "CIRCLECI", "BITBUCKET_STEP_UUID",
        "BITBUCKET_STEP_OIDC_TOKEN", "BUILDKITE", "TFC_WORKLOAD_IDENTITY_TOKEN", "TFC_WORKLOAD_IDENTITY_AUDIENCE"};

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public CiIdentityProvider() {
    }

    @Override
    public String id() {
        return CiSystem.ID;
    }

    @Override
    public int priority() {
        return 45;
    }

    @Override
    public Detection detect(DetectionContext context) {
        if (noSignal(context)) {
            return Detection.unavailable(Ci.NONE);
        }
        return Ci.detect(context);
    }

    /**
     * None of the variables that {@link CiSystem}'s signals read is set, whatever its value, and neither is a setting
     * that chooses a system: told in plain code, before the CI classes are loaded, since detection runs in a cold JVM
     * where each class and lambda costs time. Anything else is {@link Ci}'s to judge.
     */
    private static boolean noSignal(DetectionContext context) {
        for (String variable : SIGNAL_VARIABLES) {
            if (context.env(variable).isPresent()) {
                return false;
            }
        }
        ProviderSettings settings = ProviderSettings.of(context, CiSystem.ID);
        return !settings.get("system").isSet() && !settings.get("terraform.tag").isSet();
    }

    @Override
    public IdentityTokenSource open(DetectionContext context) {
        return Ci.open(context);
    }

    @Override
    public String toString() {
        return "CiIdentityProvider";
    }
}
