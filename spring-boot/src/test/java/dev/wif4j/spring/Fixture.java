package dev.wif4j.spring;

import dev.wif4j.testkit.AnthropicEmulator;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.OidcIssuer;

/** The OIDC issuer and Anthropic's emulator on 127.0.0.1, and a fake world holding a projected token file. */
final class Fixture implements AutoCloseable {
    static final String TOKEN_FILE = "/var/run/secrets/anthropic.com/token";

    final OidcIssuer idp = OidcIssuer.start();
    final AnthropicEmulator anthropic = AnthropicEmulator.start();
    final String ruleId = anthropic.trust(idp, "workload");
    final FakeDetectionContext world;

    Fixture(FakeDetectionContext.Builder world) {
        this.world = world.build();
        rotateToken();
    }

    Fixture() {
        this(FakeDetectionContext.builder());
    }

    /** Writes a new identity token, as a kubelet does before the old one expires. */
    void rotateToken() {
        world.writeFile(TOKEN_FILE, idp.mint().sign() + "\n");
    }

    /** The properties that point the starter at the emulators and the token file. */
    String[] properties() {
        return new String[] {
            "wif4j.federation-rule-id=" + ruleId,
            "wif4j.organization-id=" + anthropic.organizationId(),
            "wif4j.base-url=" + anthropic.baseUrl(),
            "wif4j.provider=file",
            "wif4j.settings.file.path=" + TOKEN_FILE,
        };
    }

    /** Hands the fake world to the builder, so no test reads the real environment or home directory. */
    WorkloadIdentityBuilderCustomizer inFakeWorld() {
        return builder -> builder.context(world);
    }

    @Override
    public void close() {
        world.close();
        anthropic.close();
        idp.close();
    }
}
