package dev.wif4j.provider.ci;

import dev.wif4j.spi.IdentityProvider;
import dev.wif4j.testkit.CiEnvironments;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.IdentityProviderContract;
import dev.wif4j.testkit.OidcIssuer;
import dev.wif4j.testkit.StandInCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The contract in a CircleCI job with an audience configured: circleci run oidc get (a stand-in) on every fetch. */
class CircleCiCliContractTest extends IdentityProviderContract {
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
        FakeDetectionContext context = FakeDetectionContext.builder().env(CiEnvironments.circleCi(issuer))
                .env("PATH", "/usr/bin:/opt/circleci/bin").env("WIF4J_CI_AUDIENCE", OidcIssuer.DEFAULT_AUDIENCE)
                .networkForbidden().build();
        StandInCommand cli = StandInCommand.install(context.path("/opt/circleci/bin/circleci"));
        for (int i = 0; i < 2; i++) {
            cli.printing(CiEnvironments.circleCiToken(issuer, OidcIssuer.DEFAULT_AUDIENCE).sign());
        }
        return context;
    }
}
