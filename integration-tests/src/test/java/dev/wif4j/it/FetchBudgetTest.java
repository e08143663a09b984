package dev.wif4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.IdentityProviderException;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.testkit.AnthropicEmulator;
import dev.wif4j.testkit.FakeDetectionContext;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The exchange owns retries and bounds every fetch (IdentityTokenSource's Javadoc): a source that fails
 * transiently is asked at most three times for one token(), and one that hangs is abandoned shortly after
 * the context's fetch timeout, interrupted, and counted as a retryable attempt.
 */
class FetchBudgetTest {
    /** A hang guard, not a performance assertion. */
    private static final Duration HANG_GUARD = Duration.ofSeconds(30);

    private AnthropicEmulator anthropic;
    private FakeDetectionContext world;

    @BeforeEach
    void start() {
        anthropic = AnthropicEmulator.start();
        world = FakeDetectionContext.builder().fetchTimeout(Duration.ofMillis(200)).build();
    }

    @AfterEach
    void stop() {
        world.close();
        anthropic.close();
    }

    private WorkloadIdentity identity(IdentityTokenSource source) {
        return WorkloadIdentity.builder().context(world)
                .federationRuleId("fdrl_budget")
                .organizationId(anthropic.organizationId())
                .baseUrl(anthropic.baseUrl())
                .identityTokenSource(source)
                .retries(3, Duration.ofMillis(10), Duration.ofMillis(20))
                .build();
    }

    @Test
    @DisplayName("a source failing transiently is asked three times for one token(), never more")
    void transientFailuresAreRetriedByTheExchangeOnly() {
        AtomicInteger fetches = new AtomicInteger();
        IdentityTokenSource failing = () -> {
            fetches.incrementAndGet();
            throw new IdentityTokenException("upstream answered 503", null, true);
        };
        try (WorkloadIdentity identity = identity(failing)) {
            IdentityProviderException e = assertTimeoutPreemptively(HANG_GUARD,
                    () -> assertThrows(IdentityProviderException.class, () -> identity.credentials().token()));
            assertEquals("upstream answered 503", e.getMessage());
            assertEquals(3, fetches.get());
            assertEquals(0, anthropic.exchangeRequests(), "no exchange without an identity token");
        }
    }

    @Test
    @DisplayName("a configuration failure is not retried")
    void permanentFailuresAreNotRetried() {
        AtomicInteger fetches = new AtomicInteger();
        IdentityTokenSource refused = () -> {
            fetches.incrementAndGet();
            throw new IdentityTokenException("the upstream refused the credential");
        };
        try (WorkloadIdentity identity = identity(refused)) {
            assertThrows(IdentityProviderException.class, () -> identity.credentials().token());
            assertEquals(1, fetches.get());
        }
    }

    @Test
    @DisplayName("a hanging fetch is abandoned after the fetch timeout, interrupted, and retried as transient")
    void hangingFetchIsBounded() throws InterruptedException {
        AtomicInteger fetches = new AtomicInteger();
        CountDownLatch interrupted = new CountDownLatch(3);
        CountDownLatch never = new CountDownLatch(1);
        IdentityTokenSource hanging = new IdentityTokenSource() {
            @Override
            public IdentityToken fetch() {
                fetches.incrementAndGet();
                try {
                    never.await();
                } catch (InterruptedException e) {
                    interrupted.countDown();
                }
                throw new IdentityTokenException("unreachable");
            }
        };
        try (WorkloadIdentity identity = identity(hanging)) {
            long start = System.nanoTime();
            IdentityProviderException e = assertTimeoutPreemptively(HANG_GUARD,
                    () -> assertThrows(IdentityProviderException.class, () -> identity.credentials().token()));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(assertInstanceOf(IdentityTokenException.class, e.getCause()).isRetryable(), "a hang is transient");
            assertTrue(e.getMessage().contains("did not return a token within 1200 ms"), e.getMessage());
            assertEquals(3, fetches.get());
            assertTrue(interrupted.await(5, java.util.concurrent.TimeUnit.SECONDS), "each hung fetch is interrupted");
            // Three attempts of 0.2 s + 1 s grace: about 3.6 s. The guard is generous on a loaded machine.
            assertTrue(took.compareTo(Duration.ofSeconds(20)) < 0, "took " + took);
        }
    }
}
