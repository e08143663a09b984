package dev.wif4j.provider.ci;

import dev.wif4j.spi.IdentityProvider;
import dev.wif4j.testkit.CiEnvironments;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.IdentityProviderContract;
import dev.wif4j.testkit.OidcIssuer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The contract in an HCP Terraform run, with a tagged token (ci.terraform.tag): the same on every fetch. */
class TerraformContractTest extends IdentityProviderContract {
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
        return FakeDetectionContext.builder().env(CiEnvironments.terraform(issuer, "ANTHROPIC"))
                .env("WIF4J_CI_TERRAFORM_TAG", "ANTHROPIC").networkForbidden().build();
    }

    /** A variable holds one token: reading it twice gives it twice. */
    @Override
    protected boolean mintsFreshTokens() {
        return false;
    }
}
