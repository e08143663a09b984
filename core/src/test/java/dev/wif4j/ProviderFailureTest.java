package dev.wif4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wif4j.spi.Detection;
import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.IdentityProvider;
import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.spi.support.MapContext;
import dev.wif4j.spi.support.SettingException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A provider's {@link IdentityTokenException} (the SPI's, not a {@link WorkloadIdentityException}) reaches the
 * application as a {@link WorkloadIdentityException} with the provider's message, whichever call met it.
 */
class ProviderFailureTest {
    private static final String MESSAGE = "Identity token file /var/run/token (ANTHROPIC_IDENTITY_TOKEN_FILE): "
            + "it does not exist.";

    /** No exchange may be sent: every failure here comes before it. */
    private static final HttpTransport NO_NETWORK = request -> {
        throw new AssertionError("no request may be sent");
    };

    /** Builds with a source given in code or a provider, and a listener; either may be {@code null}. */
    private static WorkloadIdentity build(IdentityTokenSource source, IdentityProvider provider,
            WorkloadIdentityListener listener) {
        var builder = WorkloadIdentity.builder().context(new MapContext()).autoRegistration(false)
                .federationRuleId("fdrl_test").organizationId("00000000-0000-4000-8000-000000000000")
                .transport(NO_NETWORK).retries(3, Duration.ofMillis(1), Duration.ofMillis(1));
        if (source != null) {
            builder.identityTokenSource(source);
        }
        if (provider != null) {
            builder.addProvider(provider);
        }
        if (listener != null) {
            builder.listener(listener);
        }
        return builder.build();
    }

    /** A source that fails every fetch with {@code failure}, counting them. */
    private static IdentityTokenSource failing(IdentityTokenException failure, AtomicInteger fetches) {
        return () -> {
            fetches.incrementAndGet();
            throw failure;
        };
    }

    @Test
    void fetchIdentityTokenReportsTheProvidersFailureAsAWorkloadIdentityException() {
        IdentityTokenException failure = new IdentityTokenException(MESSAGE);
        try (WorkloadIdentity identity = build(failing(failure, new AtomicInteger()), null, null)) {
            WorkloadIdentityException e = assertThrows(WorkloadIdentityException.class, identity::fetchIdentityToken);
            assertEquals(IdentityProviderException.class, e.getClass());
            assertEquals(MESSAGE, e.getMessage());
            assertSame(failure, e.getCause());
        }
    }

    @Test
    void tokenReportsTheProvidersFailureAsAWorkloadIdentityExceptionAndKeepsItsRetryClass() {
        List<WorkloadIdentityListener.TokenExchange> exchanges = new ArrayList<>();
        WorkloadIdentityListener listener = new WorkloadIdentityListener() {
            @Override
            public void tokenExchanged(TokenExchange event) {
                exchanges.add(event);
            }
        };
        AtomicInteger fetches = new AtomicInteger();
        IdentityTokenException refused = new IdentityTokenException(MESSAGE);
        try (WorkloadIdentity identity = build(failing(refused, fetches), null, listener)) {
            IdentityProviderException e = assertThrows(IdentityProviderException.class,
                    () -> identity.credentials().token());
            assertEquals(MESSAGE, e.getMessage());
            assertSame(refused, e.getCause());
            assertEquals(1, fetches.get(), "a failure that is not retryable is not tried again");
            assertSame(e, identity.lastFailure().orElseThrow());
            assertEquals("identity_token", exchanges.get(0).errorType());
        }
        fetches.set(0);
        IdentityTokenException outage = new IdentityTokenException("The metadata server answered 503.", null, true);
        try (WorkloadIdentity identity = build(failing(outage, fetches), null, null)) {
            IdentityProviderException e = assertThrows(IdentityProviderException.class,
                    () -> identity.credentials().token());
            assertEquals("The metadata server answered 503.", e.getMessage());
            assertEquals(3, fetches.get(), "a retryable failure is tried again, up to the attempts allowed");
        }
    }

    /** A provider that is always available and opens what {@code open} gives (or throws). */
    private static IdentityProvider alwaysAvailable(Supplier<IdentityTokenSource> open) {
        return new IdentityProvider() {
            @Override
            public String id() {
                return "failing";
            }

            @Override
            public int priority() {
                return 100;
            }

            @Override
            public Detection detect(DetectionContext context) {
                return Detection.available("always");
            }

            @Override
            public IdentityTokenSource open(DetectionContext context) {
                return open.get();
            }
        };
    }

    @Test
    void buildReportsAProviderThatCannotOpenAsAWorkloadIdentityException() {
        SettingException setting = new SettingException("WIF4J_FAILING_ROLE is not set.");
        ConfigurationException bad = assertThrows(ConfigurationException.class,
                () -> build(null, alwaysAvailable(() -> {
                    throw setting;
                }), null));
        assertEquals("WIF4J_FAILING_ROLE is not set.", bad.getMessage());
        assertSame(setting, bad.getCause());

        IdentityTokenException failure = new IdentityTokenException(MESSAGE);
        IdentityProviderException e = assertThrows(IdentityProviderException.class,
                () -> build(null, alwaysAvailable(() -> {
                    throw failure;
                }), null));
        assertEquals(MESSAGE, e.getMessage());
        assertSame(failure, e.getCause());
    }

    @Test
    void aSourceOpenedAtTheSpiLevelStillThrowsTheSpisException() {
        IdentityTokenException failure = new IdentityTokenException(MESSAGE);
        IdentityProvider provider = alwaysAvailable(() -> failing(failure, new AtomicInteger()));
        IdentityTokenSource source = WorkloadIdentity.builder().context(new MapContext()).autoRegistration(false)
                .addProvider(provider).openIdentityTokenSource();
        assertSame(failure, assertThrows(IdentityTokenException.class, source::fetch));
        assertFalse(WorkloadIdentityException.class.isInstance(failure), "the SPI's exception stands alone");
    }
}
