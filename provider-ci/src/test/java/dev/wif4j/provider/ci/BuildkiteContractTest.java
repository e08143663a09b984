package dev.wif4j.provider.ci;

import dev.wif4j.spi.IdentityProvider;
import dev.wif4j.testkit.CiEnvironments;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.IdentityProviderContract;
import dev.wif4j.testkit.OidcIssuer;
import dev.wif4j.testkit.StandInCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The contract in a Buildkite job: buildkite-agent (a stand-in) run on every fetch, a new token each time. */
class BuildkiteContractTest extends IdentityProviderContract {
    private static OidcIssuer issuer;

    @BeforeAll
    static void start() {
        issuer = OidcIssuer.start();
    }

    @AfterAll
    static void stop() {
        issuer.close();
    }

    @Override
    protected IdentityProvider provider() {
        return new CiIdentityProvider();
    }

    @Override
    protected FakeDetectionContext availableContext() {
        FakeDetectionContext context = FakeDetectionContext.builder().env(CiEnvironments.buildkite("/usr/local/bin"))
                .networkForbidden().build();
        StandInCommand agent = StandInCommand.install(context.path("/usr/local/bin/buildkite-agent"));
        for (int i = 0; i < 2; i++) {
            agent.printing(CiEnvironments.buildkiteToken(issuer, OidcIssuer.DEFAULT_AUDIENCE).sign());
        }
        return context;
    }
}
