package dev.wif4j.provider.ci;

import dev.wif4j.spi.IdentityProvider;
import dev.wif4j.testkit.CiEnvironments;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.IdentityProviderContract;
import dev.wif4j.testkit.OidcIssuer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The contract in a Bitbucket Pipelines step with oidc: true: the same token on every fetch. */
class BitbucketContractTest extends IdentityProviderContract {
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
        return FakeDetectionContext.builder().env(CiEnvironments.bitbucket(issuer)).networkForbidden().build();
    }

    /** A variable holds one token: reading it twice gives it twice. */
    @Override
    protected boolean mintsFreshTokens() {
        return false;
    }
}
