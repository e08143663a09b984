package dev.wif4j.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import dev.wif4j.testkit.internal.Exchanges;
import dev.wif4j.testkit.internal.LoopbackServer;
import dev.wif4j.testkit.internal.RequestLog;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The GitHub Actions OIDC token service on 127.0.0.1: what a job with {@code permissions: id-token: write}
 * reaches through {@code ACTIONS_ID_TOKEN_REQUEST_URL}. It checks the bearer request token, takes the
 * {@code audience} query parameter, and answers {@code {"count":1,"value":"<JWT>"}} with GitHub-shaped
 * claims ({@code sub}, {@code repository}, {@code repository_owner}, {@code ref}, {@code sha},
 * {@code workflow}, {@code job_workflow_ref}, {@code actor}, {@code event_name}, {@code environment}...)
 * signed by its own {@link OidcIssuer}, living five minutes.
 *
 * <pre>{@code
 * try (GitHubActionsEmulator actions = GitHubActionsEmulator.builder().repository("acme/app").start()) {
 *     FakeDetectionContext job = FakeDetectionContext.builder().env(actions.jobEnvironment()).build();
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class GitHubActionsEmulator extends LoopbackEmulator {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PATH = "/00000000-0000-0000-0000-000000000000/_apis/distributedtask/hubs/Actions/plans/"
            + "7b1f1d4e/jobs/2c2a9f0d/idtoken";

    private final OidcIssuer issuer;
    private final String requestToken = "ghs_emu" + UUID.randomUUID().toString().replace("-", "");
    private final String repository;
    private final String ref;
    private final String eventName;
    private final String environment;
    private final String workflowFile;

    private GitHubActionsEmulator(Builder b) {
        super("github-actions-emulator");
        this.issuer = own(OidcIssuer.builder().clock(b.clock).start());
        this.repository = b.repository;
        this.ref = b.ref;
        this.eventName = b.eventName;
        this.environment = b.environment;
        this.workflowFile = b.workflowFile;
        route(PATH, this::handle);
        serve();
    }

    /**
     * Starts an emulator for a push to {@code main} of {@code octo-org/octo-repo}.
     *
     * @return the running emulator; close it when done
     */
    public static GitHubActionsEmulator start() {
        return builder().start();
    }

    /** @return a builder for another repository, ref, event or environment */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the issuer that signs the tokens; register it with {@link AnthropicEmulator#addIssuer} */
    public OidcIssuer issuer() {
        return issuer;
    }

    /** @return {@code ACTIONS_ID_TOKEN_REQUEST_URL} as the runner sets it, with its {@code api-version} query */
    public String requestUrl() {
        return requestUrlWithoutQuery() + "?api-version=2.0";
    }

    /** @return the same endpoint with no query string, as some GitHub Enterprise Server versions hand out */
    public String requestUrlWithoutQuery() {
        return baseUrl() + PATH;
    }

    /** @return {@code ACTIONS_ID_TOKEN_REQUEST_TOKEN}, the bearer the service requires */
    public String requestToken() {
        return requestToken;
    }

    /** @return the {@code sub} minted tokens carry, e.g. {@code repo:octo-org/octo-repo:ref:refs/heads/main} */
    public String subject() {
        if (environment != null) {
            return "repo:" + repository + ":environment:" + environment;
        }
        if (eventName.startsWith("pull_request")) {
            return "repo:" + repository + ":pull_request";
        }
        return "repo:" + repository + ":ref:" + ref;
    }

    /**
     * The variables the runner sets in a job with {@code permissions: id-token: write}.
     *
     * @return {@code GITHUB_ACTIONS}, the two request variables, and the job's {@code GITHUB_*} context
     */
    public Map<String, String> jobEnvironment() {
        Map<String, String> env = new LinkedHashMap<>(jobEnvironmentWithoutIdToken());
        env.put("ACTIONS_ID_TOKEN_REQUEST_URL", requestUrl());
        env.put("ACTIONS_ID_TOKEN_REQUEST_TOKEN", requestToken);
        return env;
    }

    /** @return {@link #jobEnvironment()} */
    @Override
    public Map<String, String> environment() {
        return jobEnvironment();
    }

    /** @return the variables of a job without {@code id-token: write}: no request URL or token */
    public Map<String, String> jobEnvironmentWithoutIdToken() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("GITHUB_ACTIONS", "true");
        env.put("CI", "true");
        env.put("GITHUB_REPOSITORY", repository);
        env.put("GITHUB_REPOSITORY_OWNER", owner());
        env.put("GITHUB_REF", ref);
        env.put("GITHUB_EVENT_NAME", eventName);
        env.put("GITHUB_WORKFLOW_REF", workflowRef());
        env.put("GITHUB_SERVER_URL", "https://github.com");
        return env;
    }

    @Override
    String details() {
        return repository;
    }

    private String owner() {
        return repository.substring(0, repository.indexOf('/'));
    }

    private String workflowRef() {
        return repository + "/.github/workflows/" + workflowFile + "@" + ref;
    }

    private void handle(HttpExchange exchange) throws IOException {
        log().receive(exchange);
        if (log().playFault(exchange, null)) {
            return;
        }
        if (!"GET".equals(exchange.getRequestMethod())) {
            LoopbackServer.send(exchange, 405, "application/json", "{\"message\":\"Use GET\"}", Map.of());
            return;
        }
        if (!("Bearer " + requestToken).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            LoopbackServer.send(exchange, 401, "application/json",
                    "{\"message\":\"The user is not authorized to access this resource.\"}", Map.of());
            return;
        }
        String audience = Exchanges.form(exchange.getRequestURI().getRawQuery()).getOrDefault("audience", "https://github.com/" + owner());
        OidcIssuer.TokenBuilder token = issuer.mint()
                .subject(subject())
                .audience(audience)
                .lifetime(Duration.ofMinutes(5))
                .claim("ref", ref)
                .claim("sha", "4f1c1b7e2d9a8c7b6a5f4e3d2c1b0a9f8e7d6c5b")
                .claim("repository", repository)
                .claim("repository_owner", owner())
                .claim("repository_id", "123456789")
                .claim("repository_owner_id", "987654")
                .claim("repository_visibility", "private")
                .claim("run_id", "4242")
                .claim("run_number", "7")
                .claim("run_attempt", "1")
                .claim("actor", "octocat")
                .claim("actor_id", "583231")
                .claim("workflow", "ci")
                .claim("workflow_ref", workflowRef())
                .claim("job_workflow_ref", workflowRef())
                .claim("event_name", eventName)
                .claim("ref_type", ref.startsWith("refs/tags/") ? "tag" : "branch")
                .claim("runner_environment", "github-hosted");
        if (environment != null) {
            token.claim("environment", environment);
        }
        String body = JSON.createObjectNode().put("count", 1).put("value", token.sign()).toString();
        LoopbackServer.send(exchange, 200, "application/json", body, Map.of());
    }

    /** Configures a {@link GitHubActionsEmulator}. */
    public static final class Builder extends LoopbackEmulator.Builder<Builder, GitHubActionsEmulator> {
        private String repository = "octo-org/octo-repo";
        private String ref = "refs/heads/main";
        private String eventName = "push";
        private String environment;
        private String workflowFile = "ci.yml";

        private Builder() {
        }

        /**
         * @param ownerSlashName e.g. {@code acme/app}
         * @return this builder
         */
        public Builder repository(String ownerSlashName) {
            if (!ownerSlashName.matches("[^/\\s]+/[^/\\s]+")) {
                throw new IllegalArgumentException("a repository is owner/name, not " + ownerSlashName);
            }
            this.repository = ownerSlashName;
            return this;
        }

        /**
         * @param ref e.g. {@code refs/heads/main} or {@code refs/tags/v1}
         * @return this builder
         */
        public Builder ref(String ref) {
            this.ref = Objects.requireNonNull(ref);
            return this;
        }

        /**
         * @param eventName e.g. {@code push}, {@code pull_request}, {@code workflow_dispatch}
         * @return this builder
         */
        public Builder eventName(String eventName) {
            this.eventName = Objects.requireNonNull(eventName);
            return this;
        }

        /**
         * Runs the job in a deployment environment, which changes {@code sub} to {@code ...:environment:<name>}.
         *
         * @param name the environment
         * @return this builder
         */
        public Builder environment(String name) {
            this.environment = Objects.requireNonNull(name);
            return this;
        }

        /**
         * @param fileName the workflow file under {@code .github/workflows/}
         * @return this builder
         */
        public Builder workflowFile(String fileName) {
            this.workflowFile = Objects.requireNonNull(fileName);
            return this;
        }

        @Override
        public GitHubActionsEmulator start() {
            return new GitHubActionsEmulator(this);
        }
    }
}
