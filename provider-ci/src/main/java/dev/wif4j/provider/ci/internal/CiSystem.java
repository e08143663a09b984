package dev.wif4j.provider.ci.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.support.ProviderSettings;
import dev.wif4j.spi.support.Setting;
import dev.wif4j.spi.support.Text;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The CI systems the {@code ci} provider knows, in the order detection asks them: each one's signal (a variable
 * the system sets in every job), where its token is, and what to tell a user when it is missing or expired.
 */
public enum CiSystem {
    /** GitLab CI/CD: {@code id_tokens:} puts a token with the chosen {@code aud} into a variable the job names. */
    GITLAB("gitlab", "GitLab CI/CD", Signal.isTrue("GITLAB_CI"),
            "GitLab sets an ID token's expiry to the job's timeout (the job's timeout: keyword, or the "
                    + "project's or runner's timeout), so raise it for a job that runs longer") {
        @Override
        Plan plan(DetectionContext context, ProviderSettings settings) {
            Setting setting = settings.get("gitlab.variable");
            String variable = setting.value(DEFAULT_GITLAB_VARIABLE);
            if (!VARIABLE.matcher(variable).matches()) {
                throw setting.invalid("it must name an environment variable: letters, digits and '_', "
                        + "not starting with a digit");
            }
            return Plan.variable(this, variable);
        }

        @Override
        String missingTokenHint(DetectionContext context, String variable) {
            String audience = ProviderSettings.of(context, ID).audience();
            String other = DEFAULT_GITLAB_VARIABLE.equals(variable) ? ", or name the variable you use with "
                    + "WIF4J_CI_GITLAB_VARIABLE" : "";
            return "ask for an ID token in the job in .gitlab-ci.yml with id_tokens: {" + variable + ": {aud: "
                    + Text.escape(audience) + "}}" + other;
        }
    },

    /** CircleCI: {@code CIRCLE_OIDC_TOKEN_V2} (aud = the organization id), or {@code circleci run oidc get}. */
    CIRCLECI("circleci", "CircleCI", Signal.isTrue("CIRCLECI"),
            "CircleCI's job tokens expire one hour after they are issued; for a longer job set "
                    + "WIF4J_CI_AUDIENCE to the audience your federation rule names and put the circleci CLI on PATH, "
                    + "so that every fetch runs circleci run oidc get for a new token") {
        @Override
        Plan plan(DetectionContext context, ProviderSettings settings) {
            Optional<String> custom = customAudienceSource(context, settings);
            if (custom.isEmpty()) {
                return Plan.variable(this, CIRCLECI_VARIABLE);
            }
            Path cli = Executables.find(context, "circleci").orElseThrow(() -> new NotHere(signal() + " and "
                    + custom.get() + " sets an audience, but the circleci CLI is not on PATH: install it in the job's "
                    + "image to get a token for that audience on every fetch, or unset " + custom.get() + " to use "
                    + CIRCLECI_VARIABLE + ", whose aud is the organization id"));
            trusted(cli, signal() + " and " + custom.get() + " sets an audience, but the circleci CLI on PATH");
            String audience = settings.audience();
            return Plan.command(this, command(context, settings, cli, ToolEnvironment.CIRCLECI,
                    List.of("run", "oidc", "get", "--claims", audienceClaims(audience))), audience);
        }

        @Override
        String missingTokenHint(DetectionContext context, String variable) {
            return "this CircleCI job was given no OIDC token (see CircleCI's OpenID Connect tokens documentation); "
                    + "or set WIF4J_CI_AUDIENCE and put the circleci CLI on PATH to ask for one on every fetch";
        }
    },

    /** Bitbucket Pipelines: {@code BITBUCKET_STEP_OIDC_TOKEN} in a step with {@code oidc: true}. */
    BITBUCKET("bitbucket", "Bitbucket Pipelines",
            new Signal("BITBUCKET_STEP_UUID is set",
                    c -> c.env("BITBUCKET_STEP_UUID").isPresent() || c.env(CiSystem.BITBUCKET_VARIABLE).isPresent()),
            "Bitbucket Pipelines issues the step's token when the step starts, and wif4j cannot ask for "
                    + "another, so exchange it early in the step or split long work into more steps") {
        @Override
        Plan plan(DetectionContext context, ProviderSettings settings) {
            return Plan.variable(this, BITBUCKET_VARIABLE);
        }

        @Override
        String missingTokenHint(DetectionContext context, String variable) {
            return "add oidc: true to the step in bitbucket-pipelines.yml";
        }
    },

    /** Buildkite: {@code buildkite-agent oidc request-token --audience <aud>}, run on every fetch. */
    BUILDKITE("buildkite", "Buildkite", Signal.isTrue("BUILDKITE"), "ask buildkite-agent for a new one") {
        @Override
        Plan plan(DetectionContext context, ProviderSettings settings) {
            Path agent = Executables.find(context, "buildkite-agent").orElseThrow(() -> new NotHere(signal()
                    + " but buildkite-agent is not on PATH: run the job on a Buildkite agent, with the "
                    + "buildkite-agent binary on the job's PATH"));
            trusted(agent, signal() + " but the buildkite-agent on PATH");
            String audience = settings.audience();
            // One argument: an audience starting with '-' can never be read as another option.
            return Plan.command(this, command(context, settings, agent, ToolEnvironment.BUILDKITE,
                    List.of("oidc", "request-token", "--audience=" + audience)), audience);
        }

        @Override
        String missingTokenHint(DetectionContext context, String variable) {
            return "buildkite-agent prints the token";
        }
    },

    /** HCP Terraform / Terraform Enterprise: {@code TFC_WORKLOAD_IDENTITY_TOKEN}, or {@code ..._TOKEN_<TAG>}. */
    TERRAFORM("terraform", "HCP Terraform",
            new Signal("TFC_WORKLOAD_IDENTITY_AUDIENCE or TFC_WORKLOAD_IDENTITY_TOKEN is set",
                    c -> c.env(CiSystem.TERRAFORM_VARIABLE).isPresent() || c.env(CiSystem.TERRAFORM_AUDIENCE).isPresent()
                            || ProviderSettings.of(c, CiSystem.ID).get("terraform.tag").isSet()),
            "HCP Terraform's workload identity tokens expire at the end of the plan or apply timeout, and "
                    + "each phase gets its own, so exchange early in the phase or raise the run's plan/apply timeout") {
        @Override
        Plan plan(DetectionContext context, ProviderSettings settings) {
            Setting tag = settings.get("terraform.tag");
            if (tag.isSet()) {
                String value = tag.value().orElseThrow();
                if (!TAG.matcher(value).matches() || value.equals("TYPE")) {
                    throw tag.invalid("it must be the tag of a TFC_WORKLOAD_IDENTITY_AUDIENCE_<TAG> variable: "
                            + "letters, digits and '_', and not the reserved TYPE");
                }
                return Plan.variable(this, TERRAFORM_VARIABLE + "_" + value);
            }
            return Plan.variable(this, TERRAFORM_VARIABLE);
        }

        @Override
        String missingTokenHint(DetectionContext context, String variable) {
            String audience = ProviderSettings.of(context, ID).audience();
            String audienceVariable = variable.replace("_TOKEN", "_AUDIENCE");
            return "set " + audienceVariable + " to " + Text.escape(audience) + " in the workspace's environment "
                    + "variables, and HCP Terraform puts a token into " + variable + " in every plan and apply "
                    + "(self-hosted agents need v1.7.0, or v1.12.0 for tagged tokens)";
        }
    };

    /** The provider id, the prefix of every setting. */
    public static final String ID = "ci";
    static final String DEFAULT_GITLAB_VARIABLE = "ANTHROPIC_ID_TOKEN";
    static final String CIRCLECI_VARIABLE = "CIRCLE_OIDC_TOKEN_V2";
    static final String BITBUCKET_VARIABLE = "BITBUCKET_STEP_OIDC_TOKEN";
    static final String TERRAFORM_VARIABLE = "TFC_WORKLOAD_IDENTITY_TOKEN";
    static final String TERRAFORM_AUDIENCE = "TFC_WORKLOAD_IDENTITY_AUDIENCE";
    /** An environment variable's name, as a setting may give it. */
    static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,254}");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_]{1,128}");
    /** The setting that shows a failing tool's stderr in the failure: {@code hide} (the default) or {@code show}. */
    static final String STDERR_SETTING = "tool.stderr";
    private static final JsonFactory JSON = new JsonFactory();

    private final String key;
    private final String displayName;
    private final Signal signal;
    private final String lifetimeHint;

    CiSystem(String key, String displayName, Signal signal, String lifetimeHint) {
        this.key = key;
        this.displayName = displayName;
        this.signal = signal;
        this.lifetimeHint = lifetimeHint;
    }

    /** @return the value of the setting {@code ci.system} that picks this system, e.g. {@code gitlab} */
    public String key() {
        return key;
    }

    /** @return the system's name for messages, e.g. {@code GitLab CI/CD} */
    public String displayName() {
        return displayName;
    }

    /** Whether the variable this system sets in every job is there. */
    boolean signalled(DetectionContext context) {
        return signal.present().test(context);
    }

    /** The signal, as the evidence names it. */
    String signal() {
        return signal.description();
    }

    /** Where this system's token comes from here; throws {@link NotHere} or a SettingException when nowhere. */
    abstract Plan plan(DetectionContext context, ProviderSettings settings);

    /** What to do when the token's variable is missing. */
    abstract String missingTokenHint(DetectionContext context, String variable);

    /** What sets a token's lifetime, for the message about an expired one. */
    String lifetimeHint() {
        return lifetimeHint;
    }

    /** A run of a tool, with the tool's own variables and nothing else of the application's environment. */
    private static Command command(DetectionContext context, ProviderSettings settings, Path tool, List<String> variables,
            List<String> arguments) {
        Setting stderr = settings.get(STDERR_SETTING);
        boolean show = "show".equals(stderr.asChoice("hide", "hide", "show"));
        return new Command(tool, arguments, ToolEnvironment.of(context, settings, variables), show,
                stderr.variable() + "=show");
    }

    /** Refuses a tool that someone other than root and this user could have changed. */
    private static void trusted(Path tool, String found) {
        Executables.untrusted(tool).ifPresent(why -> {
            throw new NotHere(found + " is not run: " + why);
        });
    }

    /** @return {@code {"aud":"<audience>"}}, written by a JSON writer: any character in the audience stays valid JSON */
    static String audienceClaims(String audience) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("aud", audience);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    /** Where the audience asked for was configured, if it was: {@code WIF4J_CI_AUDIENCE}, {@code WIF4J_AUDIENCE}... */
    private static Optional<String> customAudienceSource(DetectionContext context, ProviderSettings settings) {
        Setting own = settings.get("audience");
        if (own.isSet()) {
            return own.source();
        }
        return context.globalSetting("audience").map(v -> "the global audience setting (WIF4J_AUDIENCE)");
    }

    /** What tells that a job runs on a system, and how the evidence names it. */
    private record Signal(String description, Predicate<DetectionContext> present) {
        /** The usual signal: a variable the system sets to {@code true} in every job. */
        static Signal isTrue(String variable) {
            return new Signal(variable + " is true", c -> "true".equals(c.env(variable).orElse("")));
        }
    }

    /** Where a token comes from: a variable, or a command run on every fetch. */
    record Plan(CiSystem system, String variable, Command command, String audience) {
        static Plan variable(CiSystem system, String variable) {
            return new Plan(system, variable, null, null);
        }

        static Plan command(CiSystem system, Command command, String audience) {
            return new Plan(system, null, command, audience);
        }
    }

    /** The system is signalled but cannot give a token here; the message says why and what to do. */
    static final class NotHere extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotHere(String message) {
            super(message, null, false, false);
        }
    }
}
