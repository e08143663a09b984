package dev.wif4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.WorkloadIdentity;
import dev.wif4j.spi.IdentityProvider;
import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.IdentityTokenException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * {@link IdentityProviderContract#fetchOnce} and {@link IdentityProviderContract#fetchFailure}, on core's {@code file},
 * and {@link IdentityProviderContract#assertTokenFailsInBound}.
 */
class ContractFetchHelpersTest {

    private static final String TOKEN_FILE = "/var/run/secrets/token";

    @AutoClose
    private final OidcIssuer issuer = OidcIssuer.start();

    /** A contract subclass, not a test class of its own: only the helpers are used. */
    private final IdentityProviderContract contract = new IdentityProviderContract() {
        @Override
        protected IdentityProvider provider() {
            return ServiceLoader.load(IdentityProvider.class, IdentityProvider.class.getClassLoader()).stream()
                    .map(ServiceLoader.Provider::get).filter(p -> p.id().equals("file")).findFirst().orElseThrow();
        }

        @Override
        protected FakeDetectionContext availableContext() {
            return world().file(TOKEN_FILE, issuer.mint().subject("s").sign()).build();
        }
    };

    private static FakeDetectionContext.Builder world() {
        return FakeDetectionContext.builder().env("ANTHROPIC_IDENTITY_TOKEN_FILE", TOKEN_FILE);
    }

    @Test
    void fetchOnceReturnsTheTokenAndClosesTheContext() {
        FakeDetectionContext context = contract.availableContext();
        assertTrue(Files.exists(context.path(TOKEN_FILE)));
        IdentityToken token = contract.fetchOnce(context);
        assertEquals("s", token.subject().orElseThrow());
        assertFalse(Files.exists(context.root()), "the context's files are gone once it is closed");
    }

    @Test
    void fetchFailureReturnsTheExceptionAndClosesTheContext() {
        FakeDetectionContext context = world().build();
        IdentityTokenException e = contract.fetchFailure(context);
        assertTrue(e.getMessage().startsWith("Identity token file " + TOKEN_FILE), e.getMessage());
        assertFalse(Files.exists(context.root()));
    }

    @Test
    void fetchFailureFailsWhenTheFetchSucceeds() {
        FakeDetectionContext context = contract.availableContext();
        assertThrows(AssertionFailedError.class, () -> contract.fetchFailure(context));
        assertFalse(Files.exists(context.root()));
    }

    private static WorkloadIdentity failing(boolean retryable) {
        return WorkloadIdentity.builder().context(FakeDetectionContext.empty())
                .federationRuleId("fdrl_unused").organizationId("123e4567-e89b-12d3-a456-426614174000")
                .baseUrl("http://127.0.0.1:9")
                .identityTokenSupplier(() -> {
                    throw new IdentityTokenException("the upstream is down", null, retryable);
                })
                .retries(1, Duration.ofMillis(10), Duration.ofMillis(10)).build();
    }

    @Test
    void assertTokenFailsInBoundReturnsARetryableFailure() {
        try (WorkloadIdentity identity = failing(true)) {
            IdentityTokenException e = IdentityProviderContract.assertTokenFailsInBound(identity);
            assertTrue(e.getMessage().contains("the upstream is down"), e.getMessage());
        }
    }

    @Test
    void assertTokenFailsInBoundRefusesAFailureThatIsNotRetryable() {
        try (WorkloadIdentity identity = failing(false)) {
            AssertionFailedError e = assertThrows(AssertionFailedError.class,
                    () -> IdentityProviderContract.assertTokenFailsInBound(identity));
            assertTrue(e.getMessage().startsWith("an outage is retryable"), e.getMessage());
        }
    }
}
