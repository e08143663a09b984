package dev.wif4j.benchmarks;

import dev.wif4j.WorkloadIdentity;
import dev.wif4j.testkit.AnthropicEmulator;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.FederationIssuer;
import dev.wif4j.testkit.FederationRule;
import dev.wif4j.testkit.OidcIssuer;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * An OIDC issuer and Anthropic's token endpoint, both emulated on 127.0.0.1, and a world in which
 * wif4j is configured for them: what every benchmark that exchanges a token starts from.
 */
final class Loopback implements AutoCloseable {
    static final String SUBJECT = "system:serviceaccount:bench:worker";

    final OidcIssuer idp;
    final AnthropicEmulator anthropic;
    final String ruleId;
    final FakeDetectionContext world;

    Loopback(Clock clock, Duration tokenLifetime) {
        this(clock, tokenLifetime, false);
    }

    /**
     * @param clock the emulators' clock
     * @param tokenLifetime the access tokens' lifetime
     * @param https whether the Anthropic emulator speaks https (a self-signed certificate)
     */
    Loopback(Clock clock, Duration tokenLifetime, boolean https) {
        idp = OidcIssuer.builder().clock(clock).start();
        AnthropicEmulator.Builder builder = AnthropicEmulator.builder().clock(clock);
        anthropic = (https ? builder.https() : builder).start();
        String issuerId = anthropic.addIssuer(FederationIssuer.of(idp));
        ruleId = anthropic.addRule(FederationRule.forIssuer(issuerId).subjectPrefix("system:serviceaccount:bench:*")
                .audience(OidcIssuer.DEFAULT_AUDIENCE).tokenLifetime(tokenLifetime));
        world = FakeDetectionContext.builder().clock(clock).networkForbidden()
                .env("ANTHROPIC_FEDERATION_RULE_ID", ruleId)
                .env("ANTHROPIC_ORGANIZATION_ID", anthropic.organizationId())
                .env("ANTHROPIC_BASE_URL", anthropic.baseUrl())
                .build();
    }

    /** @return a new signed identity token */
    String mint() {
        return idp.mint().subject(SUBJECT).sign();
    }

    /** @return wif4j configured for the emulators, its identity tokens from {@code jwts} */
    WorkloadIdentity identity(Supplier<String> jwts) {
        return WorkloadIdentity.builder().context(world).identityTokenSupplier(jwts).build();
    }

    @Override
    public void close() {
        world.close();
        anthropic.close();
        idp.close();
    }
}
