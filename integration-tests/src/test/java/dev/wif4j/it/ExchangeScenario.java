package dev.wif4j.it;

import dev.wif4j.WorkloadIdentity;
import dev.wif4j.WorkloadIdentityBuilder;
import dev.wif4j.testkit.AnthropicEmulator;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.OidcIssuer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * One issuer for the class, a fresh Anthropic emulator trusting it and an empty world for each test, and a
 * builder wired to both with fast retries: the set-up of the tests that drive the exchange against a
 * misbehaving token endpoint.
 */
abstract class ExchangeScenario {
    static OidcIssuer idp;
    AnthropicEmulator anthropic;
    String ruleId;
    FakeDetectionContext world;

    @BeforeAll
    static void startIssuer() {
        idp = OidcIssuer.start();
    }

    @AfterAll
    static void stopIssuer() {
        idp.close();
    }

    @BeforeEach
    void startAnthropic() {
        anthropic = AnthropicEmulator.start();
        ruleId = anthropic.trust(idp, "workload");
        world = FakeDetectionContext.empty();
    }

    @AfterEach
    void stopAnthropic() {
        world.close();
        anthropic.close();
    }

    /** @return a builder minting a new token per fetch, with three attempts 10-50 ms apart */
    WorkloadIdentityBuilder builder() {
        return WorkloadIdentity.builder().context(world)
                .federationRuleId(ruleId)
                .organizationId(anthropic.organizationId())
                .baseUrl(anthropic.baseUrl())
                .identityTokenSupplier(() -> idp.mint().sign())
                .retries(3, Duration.ofMillis(10), Duration.ofMillis(50));
    }
}
