package dev.wif4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.spi.Detection;
import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.IdentityProvider;
import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.IdentityTokenSource;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** {@link IdentityProviderContract#fetchOnce} and {@link IdentityProviderContract#fetchFailure}. */
class ContractFetchHelpersTest {

    @AutoClose
    private final OidcIssuer issuer = OidcIssuer.start();
    /** What the provider's sources did, in order. */
    private final List<String> events = new ArrayList<>();

    /** A provider that fetches from the issuer, or fails when the context has the variable FAIL. */
    private final IdentityProvider provider = new IdentityProvider() {
        @Override
        public String id() {
            return "fixed";
        }

        @Override
        public Detection detect(DetectionContext context) {
            return Detection.available("always");
        }

        @Override
        public IdentityTokenSource open(DetectionContext context) {
            return new IdentityTokenSource() {
                @Override
                public IdentityToken fetch() {
                    events.add("fetch");
                    if (context.env("FAIL").isPresent()) {
                        throw new IdentityTokenException("upstream said no", null, true);
                    }
                    return IdentityToken.parse(issuer.mint().subject("s").sign());
                }

                @Override
                public void close() {
                    events.add("close");
                }
            };
        }
    };

    /** A contract subclass, not a test class of its own: only the helpers are used. */
    private final IdentityProviderContract contract = new IdentityProviderContract() {
        @Override
        protected IdentityProvider provider() {
            return provider;
        }

        @Override
        protected FakeDetectionContext availableContext() {
            return FakeDetectionContext.empty();
        }
    };

    @Test
    void fetchOnceReturnsTheTokenAndClosesTheSourceAndTheContext() {
        FakeDetectionContext context = FakeDetectionContext.empty();
        assertTrue(Files.exists(context.root()));
        IdentityToken token = contract.fetchOnce(context);
        assertEquals("s", token.subject().orElseThrow());
        assertEquals(List.of("fetch", "close"), events);
        assertFalse(Files.exists(context.root()), "the context's files are gone once it is closed");
    }

    @Test
    void fetchFailureReturnsTheExceptionAndClosesBoth() {
        FakeDetectionContext context = FakeDetectionContext.builder().env("FAIL", "1").build();
        IdentityTokenException e = contract.fetchFailure(context);
        assertEquals("upstream said no", e.getMessage());
        assertTrue(e.isRetryable());
        assertEquals(List.of("fetch", "close"), events);
        assertFalse(Files.exists(context.root()));
    }

    @Test
    void fetchFailureFailsWhenTheFetchSucceeds() {
        assertThrows(AssertionFailedError.class, () -> contract.fetchFailure(FakeDetectionContext.empty()));
        assertEquals(List.of("fetch", "close"), events);
    }
}
