package dev.wif4j.provider.ci.internal;

import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.support.ProviderSettings;
import dev.wif4j.spi.support.Setting;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment a CI system's tool is run with: an allow-list, never the application's whole environment (which
 * holds {@code ANTHROPIC_API_KEY}, client secrets, the identity token wif4j exchanges...). What any program needs
 * (PATH, HOME, the locale, the temporary directory, the proxy and CA settings a Go tool honours), the variables the
 * tool itself reads, and any the user names in {@code ci.tool.env}. Values come from the context, like everything
 * else the provider reads.
 */
final class ToolEnvironment {
    /** The setting naming more variables to pass, e.g. {@code WIF4J_CI_TOOL_ENV=MY_CA_BUNDLE,MY_FLAG}. */
    static final String EXTRA_SETTING = "tool.env";

    /** What any program expects; the Windows names are for a tool that cannot resolve hosts without SystemRoot. */
    static final List<String> COMMON = List.of("PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "LC_ALL",
            "LC_CTYPE", "LC_MESSAGES", "TZ", "TMPDIR", "TMP", "TEMP", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY",
            "http_proxy", "https_proxy", "no_proxy", "SSL_CERT_FILE", "SSL_CERT_DIR", "SystemRoot", "windir",
            "ComSpec", "PATHEXT", "USERPROFILE", "APPDATA", "LOCALAPPDATA");

    /**
     * What {@code buildkite-agent oidc request-token} reads (its flags' variables, in the agent's
     * {@code clicommand/oidc_request_token.go} and {@code global.go}): the job and agent session that authorise the
     * request, the endpoint, the Job API socket it needs to redact the token from the job's log (agent 3.104+), and
     * the OIDC options a job may set. Not {@code BUILDKITE_AGENT_DEBUG_HTTP}, which would dump the token to stderr.
     */
    static final List<String> BUILDKITE = List.of("CI", "BUILDKITE", "BUILDKITE_JOB_ID", "BUILDKITE_AGENT_ACCESS_TOKEN",
            "BUILDKITE_AGENT_ENDPOINT", "BUILDKITE_NO_HTTP2", "BUILDKITE_AGENT_JOB_API_SOCKET",
            "BUILDKITE_AGENT_JOB_API_TOKEN", "BUILDKITE_OIDC_TOKEN_CLAIMS", "BUILDKITE_OIDC_TOKEN_SUBJECT_CLAIM",
            "BUILDKITE_OIDC_TOKEN_AWS_SESSION_TAGS", "BUILDKITE_AGENT_OIDC_REQUEST_TOKEN_SKIP_TOKEN_REDACTION",
            "BUILDKITE_AGENT_EXPERIMENT", "BUILDKITE_AGENT_LOG_LEVEL", "BUILDKITE_AGENT_DEBUG", "BUILDKITE_AGENT_NO_COLOR");

    /**
     * What {@code circleci run oidc get} may read. CircleCI does not document what its job-runtime CLI needs, so
     * this is the job's built-in variables as CircleCI lists them, the internal ones every job has (task data,
     * runner config, scratch directory, shell env file) and the CLI's own preferences; not the CLI's personal API
     * token ({@code CIRCLECI_CLI_TOKEN}), which a job token does not need.
     */
    static final List<String> CIRCLECI = List.of("CI", "CIRCLECI", "CIRCLE_BRANCH", "CIRCLE_BUILD_NUM",
            "CIRCLE_BUILD_URL", "CIRCLE_JOB", "CIRCLE_NODE_INDEX", "CIRCLE_NODE_TOTAL", "CIRCLE_OIDC_TOKEN",
            "CIRCLE_OIDC_TOKEN_V2", "CIRCLE_ORGANIZATION_ID", "CIRCLE_PIPELINE_ID", "CIRCLE_PROJECT_ID",
            "CIRCLE_PROJECT_REPONAME", "CIRCLE_PROJECT_USERNAME", "CIRCLE_PULL_REQUEST", "CIRCLE_REPOSITORY_URL",
            "CIRCLE_SHA1", "CIRCLE_TAG", "CIRCLE_USERNAME", "CIRCLE_WORKFLOW_ID", "CIRCLE_WORKFLOW_JOB_ID",
            "CIRCLE_WORKFLOW_WORKSPACE_ID", "CIRCLE_WORKING_DIRECTORY", "CIRCLE_INTERNAL_TASK_DATA",
            "CIRCLE_INTERNAL_CONFIG", "CIRCLE_INTERNAL_SCRATCH", "CIRCLE_SHELL_ENV", "CIRCLECI_CLI_HOST",
            "CIRCLECI_CLI_SKIP_UPDATE_CHECK", "CIRCLECI_CLI_TELEMETRY_OPTOUT");

    private ToolEnvironment() {
    }

    /**
     * The variables to run a tool with.
     *
     * @param context where the values are read
     * @param settings the provider's settings, for {@code ci.tool.env}
     * @param tool the variables the tool reads
     * @return name to value, for the variables that are set
     * @throws dev.wif4j.spi.support.SettingException when {@code ci.tool.env} names something that is not a variable
     */
    static Map<String, String> of(DetectionContext context, ProviderSettings settings, List<String> tool) {
        List<String> names = new ArrayList<>(COMMON);
        names.addAll(tool);
        names.addAll(extra(settings.get(EXTRA_SETTING)));
        Map<String, String> environment = new LinkedHashMap<>();
        for (String name : names) {
            context.env(name).ifPresent(value -> environment.put(name, value));
        }
        return environment;
    }

    private static List<String> extra(Setting setting) {
        List<String> names = new ArrayList<>();
        for (String name : setting.value("").split("[,\\s]+")) {
            if (name.isEmpty()) {
                continue;
            }
            if (!CiSystem.VARIABLE.matcher(name).matches()) {
                throw setting.invalid("it must list environment variables to pass to the CI tool, separated by "
                        + "commas: letters, digits and '_', not starting with a digit");
            }
            names.add(name);
        }
        return names;
    }
}
