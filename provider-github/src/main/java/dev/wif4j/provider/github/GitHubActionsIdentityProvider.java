package dev.wif4j.provider.github;

import dev.wif4j.provider.github.internal.ActionsTokenClient;
import dev.wif4j.spi.Detection;
import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.IdentityProvider;
import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.IdentityTokenSource;
import java.net.URI;
import java.util.Optional;

/**
 * The {@code github} provider: in a GitHub Actions job with {@code permissions: id-token: write}, asks the
 * runner's OIDC token service ({@code ACTIONS_ID_TOKEN_REQUEST_URL}, authorised by
 * {@code ACTIONS_ID_TOKEN_REQUEST_TOKEN}) for a token with the configured audience (setting
 * {@code github.audience} or {@code audience}, default {@code https://api.anthropic.com}). Every fetch asks
 * for a new token; they live about five minutes. GitHub Enterprise Server works unchanged: its runners
 * set the same variables.
 *
 * <p>Priority 40: hosted runners are Azure VMs, and the job's identity is the one meant.
 */
public final class GitHubActionsIdentityProvider implements IdentityProvider {

    static final String URL_VARIABLE = "ACTIONS_ID_TOKEN_REQUEST_URL";
    static final String TOKEN_VARIABLE = "ACTIONS_ID_TOKEN_REQUEST_TOKEN";
    private static final String FIX = "add `permissions: id-token: write` to the workflow or the job (pull requests "
            + "from forks never get an OIDC token)";

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public GitHubActionsIdentityProvider() {
    }

    @Override
    public String id() {
        return "github";
    }

    @Override
    public int priority() {
        return 40;
    }

    @Override
    public Detection detect(DetectionContext context) {
        if (!"true".equals(context.env("GITHUB_ACTIONS").orElse(""))) {
            return Detection.unavailable("GITHUB_ACTIONS is not true: not a GitHub Actions job");
        }
        Optional<String> url = context.env(URL_VARIABLE);
        Optional<String> token = context.env(TOKEN_VARIABLE);
        if (url.isEmpty() || token.isEmpty()) {
            String missing = url.isEmpty() && token.isEmpty() ? URL_VARIABLE + " and " + TOKEN_VARIABLE + " are"
                    : (url.isEmpty() ? URL_VARIABLE : TOKEN_VARIABLE) + " is";
            return Detection.unavailable("GITHUB_ACTIONS is true but " + missing + " not set: " + FIX);
        }
        String problem = ActionsTokenClient.checkUrl(url.get());
        if (problem != null) {
            return Detection.unavailable(URL_VARIABLE + " " + problem);
        }
        String repository = context.env("GITHUB_REPOSITORY").orElse("?");
        String event = context.env("GITHUB_EVENT_NAME").orElse("?");
        String ref = context.env("GITHUB_REF").orElse("?");
        String subject = event.startsWith("pull_request") ? "repo:" + repository + ":pull_request"
                : "repo:" + repository + ":ref:" + ref;
        return Detection.available("GitHub Actions job of " + repository + " (" + event + ", " + ref
                + ") with an OIDC token service; tokens will carry sub " + subject
                + " (or repo:" + repository + ":environment:<name> in a job with an environment)");
    }

    @Override
    public IdentityTokenSource open(DetectionContext context) {
        String url = context.env(URL_VARIABLE).orElseThrow(
                () -> new IdentityTokenException(URL_VARIABLE + " is not set: " + FIX + "."));
        String token = context.env(TOKEN_VARIABLE).orElseThrow(
                () -> new IdentityTokenException(TOKEN_VARIABLE + " is not set: " + FIX + "."));
        String problem = ActionsTokenClient.checkUrl(url);
        if (problem != null) {
            throw new IdentityTokenException(URL_VARIABLE + " " + problem + ".");
        }
        return new ActionsTokenClient(URI.create(url), token, context.audience(id()),
                context.logger(GitHubActionsIdentityProvider.class.getName()));
    }

    @Override
    public String toString() {
        return "GitHubActionsIdentityProvider";
    }
}
