package dev.wif4j.provider.ci;


import dev.wif4j.spi.IdentityProvider;
import dev.wif4j.testkit.CiEnvironments;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.IdentityProviderContract;
import dev.wif4j.testkit.OidcIssuer;
import dev.wif4j.buildsupport.StandInCommand;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Nested;

/** The contract on each CI system the provider reads: one nested class per system, one issuer for all. */
class CiContractTest {
    @AutoClose
    private static final OidcIssuer issuer = OidcIssuer.start();

    /** The provider in a job of one system; a token read from a variable is the same on every fetch. */
    abstract static class OnSystem extends IdentityProviderContract {
        @Override
        protected IdentityProvider provider() {
            return new CiIdentityProvider();
        }

        /** A variable holds one token: reading it twice gives it twice. Systems with a command override this. */
        @Override
        protected boolean mintsFreshTokens() {
            return false;
        }

        static FakeDetectionContext job(Map<String, String> environment) {
            return FakeDetectionContext.builder().env(environment).networkForbidden().build();
        }

        /** A job whose CLI (a stand-in at {@code tool}) prints a new token for each of two fetches. */
        static FakeDetectionContext withTool(FakeDetectionContext context, String tool, String... tokens) {
            StandInCommand command = StandInCommand.install(context.path(tool));
            for (String token : tokens) {
                command.printing(token);
            }
            return context;
        }
    }

    /** GitLab CI/CD: the id_tokens variable. */
    @Nested
    class GitLab extends OnSystem {
        @Override
        protected FakeDetectionContext availableContext() {
            return job(CiEnvironments.gitLab(issuer));
        }
    }

    /** Bitbucket Pipelines, a step with oidc: true. */
    @Nested
    class Bitbucket extends OnSystem {
        @Override
        protected FakeDetectionContext availableContext() {
            return job(CiEnvironments.bitbucket(issuer));
        }
    }

    /** CircleCI: CIRCLE_OIDC_TOKEN_V2. */
    @Nested
    class CircleCi extends OnSystem {
        @Override
        protected FakeDetectionContext availableContext() {
            return job(CiEnvironments.circleCi(issuer));
        }
    }

    /** HCP Terraform: a tagged workload identity token. */
    @Nested
    class Terraform extends OnSystem {
        @Override
        protected FakeDetectionContext availableContext() {
            return FakeDetectionContext.builder().env(CiEnvironments.terraform(issuer, "ANTHROPIC"))
                    .env("WIF4J_CI_TERRAFORM_TAG", "ANTHROPIC").networkForbidden().build();
        }
    }

    /** CircleCI with a custom audience: `circleci run oidc get` (a stand-in) on every fetch. */
    @Nested
    class CircleCiCli extends OnSystem {
        @Override
        protected FakeDetectionContext availableContext() {
            FakeDetectionContext context = FakeDetectionContext.builder().env(CiEnvironments.circleCi(issuer))
                    .env("PATH", "/usr/bin:/opt/circleci/bin").env("WIF4J_CI_AUDIENCE", OidcIssuer.DEFAULT_AUDIENCE)
                    .networkForbidden().build();
            return withTool(context, "/opt/circleci/bin/circleci",
                    CiEnvironments.circleCiToken(issuer, OidcIssuer.DEFAULT_AUDIENCE).sign(),
                    CiEnvironments.circleCiToken(issuer, OidcIssuer.DEFAULT_AUDIENCE).sign());
        }

        @Override
        protected boolean mintsFreshTokens() {
            return true;
        }
    }

    /** Buildkite: buildkite-agent (a stand-in) on every fetch. */
    @Nested
    class Buildkite extends OnSystem {
        @Override
        protected FakeDetectionContext availableContext() {
            return withTool(job(CiEnvironments.buildkite("/usr/local/bin:/usr/bin:/bin")), "/usr/local/bin/buildkite-agent",
                    CiEnvironments.buildkiteToken(issuer, OidcIssuer.DEFAULT_AUDIENCE).sign(),
                    CiEnvironments.buildkiteToken(issuer, OidcIssuer.DEFAULT_AUDIENCE).sign());
        }

        @Override
        protected boolean mintsFreshTokens() {
            return true;
        }
    }
}
