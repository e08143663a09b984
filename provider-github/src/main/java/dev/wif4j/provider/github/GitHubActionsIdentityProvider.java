package dev.wif4j.provider.github;

import dev.wif4j.provider.github.internal.ActionsTokenClient;
import dev.wif4j.spi.Detection;
import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.IdentityProvider;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.spi.support.Endpoints;
import dev.wif4j.spi.support.FirstTokenLog;
import dev.wif4j.spi.support.ProviderSettings;
import dev.wif4j.spi.support.SettingException;
import dev.wif4j.spi.support.Text;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * The {@code github} provider: in a GitHub Actions job with {@code permissions: id-token: write}, asks the
 * runner's OIDC token service ({@code ACTIONS_ID_TOKEN_REQUEST_URL}, authorised by
 * {@code ACTIONS_ID_TOKEN_REQUEST_TOKEN}) for a token with the configured audience (setting
 * {@code github.audience} or {@code audience}, default {@code https://api.anthropic.com}). Every fetch asks
 * for a new token, with one request; they live about five minutes. GitHub Enterprise Server works unchanged:
 * its runners set the same variables.
 *
 * <p>Priority 40: hosted runners are Azure VMs, and the job's identity is the one meant.
 */
public final class GitHubActionsIdentityProvider implements IdentityProvider {

    static final String ID = "github";
    static final String URL_VARIABLE = "ACTIONS_ID_TOKEN_REQUEST_URL";
    static final String TOKEN_VARIABLE = "ACTIONS_ID_TOKEN_REQUEST_TOKEN";
    private static final String FIX = "add `permissions: id-token: write` to the workflow or the job (pull requests "
            + "from forks never get an OIDC token)";

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public GitHubActionsIdentityProvider() {
    }

    @Override
    public String id() {
        return ID;
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
        requestUrl(url.get());
        requestToken(token.get());
        String repository = shown(context, "GITHUB_REPOSITORY");
        String event = shown(context, "GITHUB_EVENT_NAME");
        String ref = shown(context, "GITHUB_REF");
        String subject = event.startsWith("pull_request") ? "repo:" + repository + ":pull_request"
                : "repo:" + repository + ":ref:" + ref;
        return Detection.available("GitHub Actions job of " + repository + " (" + event + ", " + ref
                + ") with an OIDC token service; tokens will carry sub " + subject
                + " (or repo:" + repository + ":environment:<name> in a job with an environment)");
    }

    private static String shown(DetectionContext context, String variable) {
        return context.env(variable).map(Text::escape).orElse("?");
    }

    @Override
    public IdentityTokenSource open(DetectionContext context) {
        String url = context.env(URL_VARIABLE).orElseThrow(
                () -> new SettingException(URL_VARIABLE + " is not set: " + FIX + "."));
        String token = context.env(TOKEN_VARIABLE).orElseThrow(
                () -> new SettingException(TOKEN_VARIABLE + " is not set: " + FIX + "."));
        String audience = ProviderSettings.of(context, ID).audience();
        FirstTokenLog described = FirstTokenLog.of(context, GitHubActionsIdentityProvider.class,
                "GitHub Actions OIDC token", List.of("repository", "repository_owner", "ref", "job_workflow_ref",
                        "environment"), t -> "A narrow federation rule pins subject_prefix to that sub and audience to "
                        + Text.escape(audience) + ".");
        return new ActionsTokenClient(requestUrl(url), requestToken(token), audience, context.fetchTimeout(),
                described);
    }

    /**
     * The runner's variable, not a wif4j setting: checked by the one endpoint rule (its query is kept), without the
     * white space around it (a value pasted or echoed into the environment often ends with a newline). A refusal
     * shows its scheme, host and port only: user info or a query may hold a secret.
     */
    private static URI requestUrl(String value) {
        try {
            return Endpoints.parse(value.strip());
        } catch (IllegalArgumentException e) {
            throw new SettingException(URL_VARIABLE + " is " + Endpoints.describe(value) + ", but " + e.getMessage()
                    + ".");
        }
    }

    /**
     * The request token becomes {@code Authorization: Bearer <token>}: white space around it is dropped, and any
     * other character but visible ASCII is refused before a request is built. The JDK's own refusal quotes the
     * whole header value, and the token is a secret: this message says where the character is, never the value.
     */
    static String requestToken(String value) {
        String token = value.strip();
        if (token.isEmpty()) {
            throw new SettingException(TOKEN_VARIABLE + " is empty: " + FIX + ".");
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                String what = c == ' ' ? "a space"
                        : c < 0x20 || c == 0x7f ? "a control character" : "a non-ASCII character";
                throw new SettingException(TOKEN_VARIABLE + " holds " + what + " at position " + (i + 1) + " of "
                        + token.length() + ", which cannot be sent in an HTTP header (the value is a secret and is not "
                        + "shown). The runner sets it; check that the workflow does not overwrite it.");
            }
        }
        return token;
    }

    @Override
    public String toString() {
        return "GitHubActionsIdentityProvider";
    }
}
