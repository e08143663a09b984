package dev.wif4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.AccessToken;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.testkit.AnthropicEmulator;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.ManualClock;
import dev.wif4j.testkit.OidcIssuer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A thousand threads ask for a token at the moment it comes up for refresh, against the emulator on
 * 127.0.0.1 with one manual clock. Only counts and orderings are asserted, never durations: the latency
 * of the callers is measured by the JMH benchmark {@code AdvisoryRefreshBenchmark}.
 */
@Timeout(60)
class RefreshUnderLoadTest {
    private static final int CALLERS = 1_000;
    private static final String SUBJECT = "system:serviceaccount:prod:billing";
    private static final Duration LIFETIME = Duration.ofMinutes(10);

    private ManualClock clock;
    private OidcIssuer idp;
    private AnthropicEmulator anthropic;
    private FakeDetectionContext world;
    private final AtomicInteger fetches = new AtomicInteger();
    /** Runs inside the identity fetch, with the fetch's number: where a test holds the exchange. */
    private volatile IntConsumer onFetch = n -> { };

    @BeforeEach
    void start() {
        clock = ManualClock.startingNow();
        idp = OidcIssuer.builder().clock(clock).start();
        anthropic = AnthropicEmulator.builder().clock(clock).start();
        String ruleId = anthropic.trust(idp, "system:serviceaccount:prod:*", LIFETIME);
        world = FakeDetectionContext.builder().clock(clock).networkForbidden()
                .env("ANTHROPIC_FEDERATION_RULE_ID", ruleId)
                .env("ANTHROPIC_ORGANIZATION_ID", anthropic.organizationId())
                .env("ANTHROPIC_BASE_URL", anthropic.baseUrl())
                .build();
    }

    @AfterEach
    void stop() {
        world.close();
        anthropic.close();
        idp.close();
    }

    private WorkloadIdentity identity() {
        return WorkloadIdentity.builder().context(world).identityTokenSupplier(() -> {
            onFetch.accept(fetches.incrementAndGet());
            return idp.mint().subject(SUBJECT).sign();
        }).build();
    }

    /** Starts the callers together; each stores its token, or its failure, at its index. */
    private static List<Thread> callers(WorkloadIdentity identity, AtomicReferenceArray<Object> results,
            AtomicInteger entered, CountDownLatch done) {
        CountDownLatch gate = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            int index = i;
            Thread t = new Thread(() -> {
                try {
                    gate.await();
                    entered.incrementAndGet();
                    results.set(index, identity.credentials().token());
                } catch (Throwable e) {
                    results.set(index, e);
                } finally {
                    done.countDown();
                }
            }, "caller-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        gate.countDown();
        return threads;
    }

    @Test
    void thousandCallersEnteringTheMandatoryWindowCauseOneFetchAndOneExchange() throws Exception {
        try (WorkloadIdentity identity = identity()) {
            AccessToken first = identity.credentials().token();
            assertEquals(1, fetches.get());
            List<Thread> threads = new CopyOnWriteArrayList<>();
            AtomicInteger entered = new AtomicInteger();
            AtomicInteger parkedWhileFetching = new AtomicInteger(-1);
            // The refresh waits until every other caller has arrived and is parked on it, so the
            // test proves the callers shared one refresh rather than arriving after it finished.
            onFetch = n -> {
                Thread me = Thread.currentThread();
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                int parked = 0;
                while (System.nanoTime() < end) {
                    parked = 0;
                    if (entered.get() == CALLERS && threads.size() == CALLERS) {
                        // The fetch runs on the exchange's own worker, so the caller that started the
                        // refresh is parked too (on the fetch); the others on the refresh. Waits are timed.
                        for (Thread t : threads) {
                            Thread.State state = t.getState();
                            if (t != me && (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING)) {
                                parked++;
                            }
                        }
                        if (parked >= CALLERS - 1) {
                            break;
                        }
                    }
                    Thread.onSpinWait();
                }
                parkedWhileFetching.set(parked);
            };
            clock.advance(LIFETIME.minusSeconds(30)); // exactly 30 s left: the mandatory window opens
            AtomicReferenceArray<Object> results = new AtomicReferenceArray<>(CALLERS);
            CountDownLatch done = new CountDownLatch(CALLERS);
            threads.addAll(callers(identity, results, entered, done));
            assertTrue(done.await(30, TimeUnit.SECONDS), "the callers did not finish");
            assertTrue(parkedWhileFetching.get() >= CALLERS - 1,
                    "every other caller waited on the one refresh: " + parkedWhileFetching.get() + " parked");
            Object second = results.get(0);
            assertTrue(second instanceof AccessToken, "caller 0 failed: " + second);
            assertNotEquals(first, second);
            for (int i = 0; i < CALLERS; i++) {
                assertSame(second, results.get(i), "caller " + i + " got another token");
            }
            assertEquals(2, fetches.get(), "one identity fetch for a thousand callers (plus the first)");
            assertEquals(2, anthropic.exchangeRequests(), "one exchange for a thousand callers (plus the first)");
        }
    }

    @Test
    void inTheAdvisoryWindowNoCallerWaitsForTheExchange() throws Exception {
        try (WorkloadIdentity identity = identity()) {
            AccessToken first = identity.credentials().token();
            CountDownLatch release = new CountDownLatch(1);
            // The background refresh is held inside its identity fetch until the callers are done.
            onFetch = n -> {
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            clock.advance(LIFETIME.minusSeconds(45)); // 45 s left: past every advisory point
            AtomicReferenceArray<Object> results = new AtomicReferenceArray<>(CALLERS);
            CountDownLatch done = new CountDownLatch(CALLERS);
            callers(identity, results, new AtomicInteger(), done);
            assertTrue(done.await(15, TimeUnit.SECONDS), "a caller waited for the held exchange");
            assertEquals(1, release.getCount());
            for (int i = 0; i < CALLERS; i++) {
                assertSame(first, results.get(i), "caller " + i + " did not get the cached token");
            }
            assertEquals(2, fetches.get(), "one background refresh started, for a thousand callers");
            assertEquals(1, anthropic.exchangeRequests(), "and it is still held");
            release.countDown();
            AccessToken refreshed = first;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (refreshed == first && System.nanoTime() < end) {
                Thread.sleep(5);
                refreshed = identity.credentials().token();
            }
            assertNotEquals(first, refreshed, "the background refresh replaced the token");
            assertEquals(2, anthropic.exchangeRequests());
        }
    }
}
