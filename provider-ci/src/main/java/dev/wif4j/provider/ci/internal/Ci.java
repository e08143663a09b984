package dev.wif4j.provider.ci.internal;

import dev.wif4j.spi.Detection;
import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.spi.support.ProviderSettings;
import dev.wif4j.spi.support.Setting;
import java.time.Instant;
import java.util.Arrays;

/**
 * Which CI system this job runs on, and where its token is: the setting {@code ci.system} when given, else the
 * first system whose signal is present, in {@link CiSystem}'s order. Reads variables, settings and PATH only.
 */
public final class Ci {
    /** Detection's verdict with no signal: a constant, which the provider says without loading this class. */
    public static final String NONE = "not a GitLab CI/CD, CircleCI, Bitbucket Pipelines, Buildkite or HCP Terraform "
            + "job: none of GITLAB_CI, CIRCLECI, BITBUCKET_STEP_UUID, BUILDKITE, TFC_WORKLOAD_IDENTITY_AUDIENCE or "
            + "TFC_WORKLOAD_IDENTITY_TOKEN is set (GitHub Actions has a provider of its own, github)";

    private Ci() {
    }

    /**
     * The detection: available with the token's claims and expiry (or the command run per fetch), or why not.
     *
     * @param context the context
     * @return the verdict
     * @throws dev.wif4j.spi.support.SettingException for a malformed setting (wif4j reports it as unavailable)
     */
    public static Detection detect(DetectionContext context) {
        Found found;
        try {
            found = plan(context);
        } catch (CiSystem.NotHere e) {
            return Detection.unavailable(e.getMessage());
        }
        CiSystem.Plan plan = found.plan();
        CiSystem system = plan.system();
        String job = system.displayName() + " job (" + found.why() + ")";
        if (plan.command() != null) {
            return Detection.available(job + ": every fetch runs " + plan.command().shown() + " ("
                    + plan.command().shownPath() + ") for a new token");
        }
        String variable = plan.variable();
        String value = context.env(variable).orElse(null);
        if (value == null) {
            return Detection.unavailable(job + " but " + variable + " is not set: "
                    + system.missingTokenHint(context, variable));
        }
        IdentityToken token;
        try {
            token = Tokens.parse(variable, value);
        } catch (IdentityTokenException e) {
            return Detection.unavailable(job + ", but " + e.getMessage());
        }
        Instant now = context.clock().instant();
        if (Tokens.expired(token, now)) {
            return Detection.unavailable(VariableTokenSource.expiredMessage(system, variable, token, context));
        }
        String expiry = token.expiresAt().map(exp -> "expires at " + Tokens.when(exp, now)).orElse("has no exp");
        return Detection.available(job + ": " + variable + " holds a token (" + Tokens.claims(token) + ") that "
                + expiry + "; read from a variable, it cannot be renewed, and Anthropic accepts it for one exchange");
    }

    /**
     * The token source for this job.
     *
     * @param context the context
     * @return a source reading the job's variable, or running the system's tool on every fetch
     * @throws IdentityTokenException when no CI system here can give a token; the message says why
     */
    public static IdentityTokenSource open(DetectionContext context) {
        CiSystem.Plan plan;
        try {
            plan = plan(context).plan();
        } catch (CiSystem.NotHere e) {
            throw new IdentityTokenException(e.getMessage() + ".");
        }
        if (plan.command() != null) {
            return new CommandTokenSource(plan.system(), plan.command(), plan.audience(), context.fetchTimeout(),
                    context.logger(Ci.class.getName()));
        }
        return new VariableTokenSource(plan.system(), plan.variable(), context);
    }

    /** A plan, and why this system was taken: its signal, or the setting that chose it. */
    private record Found(CiSystem.Plan plan, String why) {}

    private static Found plan(DetectionContext context) {
        ProviderSettings settings = ProviderSettings.of(context, CiSystem.ID);
        Setting chosen = settings.get("system");
        String[] keys = Arrays.stream(CiSystem.values()).map(CiSystem::key).toArray(String[]::new);
        String key = chosen.asChoice(null, keys);
        if (key != null) {
            // Chosen by the user: its signal need not be present (a runner may not set it), only its token.
            CiSystem system = Arrays.stream(CiSystem.values()).filter(s -> s.key().equals(key)).findFirst().orElseThrow();
            return new Found(system.plan(context, settings), chosen.source().orElseThrow() + " is " + key);
        }
        for (CiSystem system : CiSystem.values()) {
            if (system.signalled(context)) {
                return new Found(system.plan(context, settings), system.signal());
            }
        }
        throw new CiSystem.NotHere(NONE);
    }
}
