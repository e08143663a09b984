package dev.wif4j.it;

import dev.wif4j.spi.IdentityProvider;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.IdentityProviderContract;
import dev.wif4j.testkit.OidcIssuer;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Nested;

/** The built-in {@code file} and {@code literal} providers pass the contract every provider passes. */
class BuiltInProvidersContractTest {
    @AutoClose
    static final OidcIssuer issuer = OidcIssuer.start();

    static IdentityProvider installed(String id) {
        return ServiceLoader.load(IdentityProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.id().equals(id)).findFirst().orElseThrow();
    }

    @Nested
    class File extends IdentityProviderContract {
        @Override
        protected IdentityProvider provider() {
            return installed("file");
        }

        @Override
        protected FakeDetectionContext availableContext() {
            return FakeDetectionContext.builder()
                    .env("ANTHROPIC_IDENTITY_TOKEN_FILE", "/var/run/secrets/anthropic.com/token")
                    .file("/var/run/secrets/anthropic.com/token", issuer.mint().sign())
                    .build();
        }

        @Override
        protected boolean mintsFreshTokens() {
            return false; // it re-reads the file; whoever writes the file mints
        }
    }

    @Nested
    class Literal extends IdentityProviderContract {
        @Override
        protected IdentityProvider provider() {
            return installed("literal");
        }

        @Override
        protected FakeDetectionContext availableContext() {
            return FakeDetectionContext.builder().env("ANTHROPIC_IDENTITY_TOKEN", issuer.mint().sign()).build();
        }

        @Override
        protected boolean mintsFreshTokens() {
            return false; // a value given once
        }
    }
}
