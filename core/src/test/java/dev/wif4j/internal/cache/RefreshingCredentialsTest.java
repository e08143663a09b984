package dev.wif4j.internal.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.AccessToken;
import dev.wif4j.TokenExchangeException;
import dev.wif4j.WorkloadIdentityListener;
import dev.wif4j.WorkloadIdentityListener.RefreshReason;
import dev.wif4j.internal.events.Listeners;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class RefreshingCredentialsTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));
    private final AtomicInteger exchanges = new AtomicInteger();

    /** Each exchange mints a distinct token living {@code lifetime} from now. */
    private Supplier<AccessToken> exchange(Duration lifetime) {
        return () -> new AccessToken("sk-ant-oat01-test-" + exchanges.incrementAndGet(),
                clock.instant().plus(lifetime), "workspace:developer");
    }

    @Test
    void firstCallExchangesAndLaterCallsReuseTheToken() {
        RefreshingCredentials cache = new RefreshingCredentials(exchange(Duration.ofHours(1)), clock);
        AccessToken first = cache.token();
        clock.advance(Duration.ofMinutes(50));
        assertSame(first, cache.token());
        assertEquals(1, exchanges.get());
    }

    @Test
    void cachedAndLastFailureAreReadWithoutAnExchange() {
        AtomicInteger calls = new AtomicInteger();
        RefreshingCredentials cache = new RefreshingCredentials(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("the identity provider is down");
            }
            return new AccessToken("sk-ant-oat01-test-" + calls.get(), clock.instant().plusSeconds(3600), null);
        }, clock);
        assertTrue(cache.cached().isEmpty());
        assertTrue(cache.lastFailure().isEmpty());
        assertEquals(0, calls.get(), "looking exchanges nothing");
        assertThrows(IllegalStateException.class, cache::token);
        assertEquals("the identity provider is down", cache.lastFailure().orElseThrow().getMessage());
        AccessToken token = cache.token();
        assertSame(token, cache.cached().orElseThrow());
        assertTrue(cache.lastFailure().isEmpty(), "a success clears the failure");
        clock.advance(Duration.ofHours(2));
        assertSame(token, cache.cached().orElseThrow(), "an expired token is still shown, not refreshed");
        assertEquals(2, calls.get());
    }

    @Test
    @Timeout(20)
    void aCallerWaitingOnAnotherCallersRefreshGivesUpAtTheBound() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RefreshingCredentials cache = new RefreshingCredentials(() -> {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new AccessToken("sk-ant-oat01-test-slow", clock.instant().plusSeconds(3600), null);
        }, clock);
        cache.waitBoundMillis = 200;
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<AccessToken> first = pool.submit(cache::token); // runs the exchange, held
            assertTrue(entered.await(5, TimeUnit.SECONDS));
            long start = System.nanoTime();
            dev.wif4j.WorkloadIdentityException e = assertThrows(dev.wif4j.WorkloadIdentityException.class, cache::token);
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(e.getMessage().startsWith("No Anthropic access token within 200 ms"), e.getMessage());
            assertTrue(waited >= 150 && waited < 5000, "waited " + waited + " ms");
            release.countDown();
            assertEquals("sk-ant-oat01-test-slow", first.get(5, TimeUnit.SECONDS).value(), "the refresh itself goes on");
            assertSame(first.get(), cache.token(), "and the next call gets its token");
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void advisoryWindowServesTheCachedTokenAndRefreshesInTheBackgroundOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        RefreshingCredentials cache = new RefreshingCredentials(() -> {
            if (calls.incrementAndGet() > 1) {
                await(release);
            }
            return new AccessToken("sk-ant-oat01-test-" + calls.get(), clock.instant().plusSeconds(3600), null);
        }, clock);
        AccessToken first = cache.token();
        clock.advance(Duration.ofSeconds(3600 - 45)); // 45 s left: past every advisory point
        for (int i = 0; i < 20; i++) {
            assertSame(first, cache.token(), "advisory callers never wait");
        }
        release.countDown();
        AccessToken refreshed = waitFor(() -> {
            AccessToken t = cache.token();
            return t == first ? null : t;
        });
        assertNotEquals(first, refreshed);
        assertEquals(2, calls.get(), "one background refresh for twenty advisory callers");
        cache.close();
    }

    @Test
    void backgroundRefreshStartsAtTheTokensOwnAdvisoryPoint() {
        // A fixed lead of 90 s and refreshes run inline, so the count is exact.
        RefreshingCredentials cache = new RefreshingCredentials(exchange(Duration.ofHours(1)), clock, () -> 90_000,
                Runnable::run);
        AccessToken first = cache.token();
        clock.advance(Duration.ofSeconds(3600 - 91));
        assertSame(first, cache.token());
        assertEquals(1, exchanges.get(), "91 s left is before this token's advisory point");
        clock.advance(Duration.ofSeconds(1));
        assertSame(first, cache.token(), "the advisory caller still gets the cached token");
        assertEquals(2, exchanges.get(), "at 90 s left the background refresh starts");
        assertNotEquals(first, cache.token());
    }

    @Test
    void advisoryLeadOutsideTheDocumentedWindowIsClamped() {
        RefreshingCredentials early = new RefreshingCredentials(exchange(Duration.ofHours(1)), clock, () -> 600_000,
                Runnable::run);
        early.token();
        clock.advance(Duration.ofSeconds(3600 - 121));
        early.token();
        assertEquals(1, exchanges.get(), "never before the documented 120 s");
        RefreshingCredentials late = new RefreshingCredentials(exchange(Duration.ofHours(1)), clock, () -> 0,
                Runnable::run);
        AccessToken token = late.token();
        clock.advance(Duration.ofSeconds(3600 - 60));
        assertSame(token, late.token());
        assertEquals(3, exchanges.get(), "never later than 60 s before expiry");
    }

    @Test
    void randomAdvisoryPointsCoverTheWindowBetween120And60Seconds() {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < 10_000; i++) {
            long lead = RefreshingCredentials.randomLead();
            min = Math.min(min, lead);
            max = Math.max(max, lead);
        }
        assertTrue(min >= 60_000 && max <= 120_000, "inside the window: " + min + ".." + max);
        assertTrue(min < 62_000 && max > 118_000, "spread over the whole window: " + min + ".." + max);
    }

    @Test
    void failedBackgroundRefreshKeepsServingTheValidTokenAndPausesFiveSeconds() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        RefreshingCredentials cache = new RefreshingCredentials(() -> {
            if (calls.incrementAndGet() > 1) {
                throw new TokenExchangeException("boom", 503, null, null, null, null, null);
            }
            return new AccessToken("sk-ant-oat01-test-first", clock.instant().plusSeconds(3600), null);
        }, clock);
        AccessToken first = cache.token();
        clock.advance(Duration.ofSeconds(3600 - 45));
        assertSame(first, cache.token());
        waitFor(() -> calls.get() == 2 ? Boolean.TRUE : null);
        Thread.sleep(50); // let the failure handler record the pause
        for (int i = 0; i < 10; i++) {
            assertSame(first, cache.token(), "the stale but valid token is served");
        }
        assertEquals(2, calls.get(), "no retry inside the 5 s pause");
        clock.advance(Duration.ofSeconds(6));
        assertSame(first, cache.token());
        waitFor(() -> calls.get() == 3 ? Boolean.TRUE : null);
        cache.close();
    }

    @Test
    void mandatoryWindowMakesFiftyConcurrentCallersShareOneExchange() throws Exception {
        CountDownLatch inExchange = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        RefreshingCredentials cache = new RefreshingCredentials(() -> {
            int n = calls.incrementAndGet();
            if (n > 1) {
                inExchange.countDown();
                await(release);
            }
            return new AccessToken("sk-ant-oat01-test-" + n, clock.instant().plusSeconds(3600), null);
        }, clock);
        AccessToken first = cache.token();
        clock.advance(Duration.ofSeconds(3600 - 10)); // 10 s left: mandatory
        ExecutorService pool = Executors.newFixedThreadPool(50);
        List<Future<AccessToken>> results = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            results.add(pool.submit(cache::token));
        }
        assertTrue(inExchange.await(5, TimeUnit.SECONDS));
        Thread.sleep(100); // every caller is now waiting on the one refresh
        release.countDown();
        AccessToken second = results.get(0).get();
        for (Future<AccessToken> f : results) {
            assertSame(second, f.get(), "every caller gets the one new token");
        }
        assertNotEquals(first, second);
        assertEquals(2, calls.get(), "fifty callers, one exchange");
        pool.shutdown();
    }

    @Test
    void mandatoryFailureIsThrownToEveryWaiterAndNoExpiringTokenIsServed() {
        AtomicInteger calls = new AtomicInteger();
        RefreshingCredentials cache = new RefreshingCredentials(() -> {
            if (calls.incrementAndGet() > 1) {
                throw new TokenExchangeException("refused", 401, "req_1", "authentication_error", null, null, null);
            }
            return new AccessToken("sk-ant-oat01-test-first", clock.instant().plusSeconds(3600), null);
        }, clock);
        cache.token();
        clock.advance(Duration.ofSeconds(3600 - 20));
        TokenExchangeException e = assertThrows(TokenExchangeException.class, cache::token);
        assertEquals(401, e.statusCode());
        clock.advance(Duration.ofSeconds(40)); // past expiry
        assertThrows(TokenExchangeException.class, cache::token);
        assertEquals(3, calls.get(), "each mandatory call after a failure tries again");
    }

    @Test
    void invalidateDropsOnlyTheRejectedToken() {
        RefreshingCredentials cache = new RefreshingCredentials(exchange(Duration.ofHours(1)), clock);
        AccessToken first = cache.token();
        cache.invalidate(first);
        AccessToken second = cache.token();
        assertNotEquals(first, second);
        cache.invalidate(first); // a late 401 for the old token
        assertSame(second, cache.token(), "the replacement survives a late invalidation");
        cache.invalidate();
        assertNotEquals(second, cache.token());
        assertEquals(3, exchanges.get());
    }

    @Test
    @org.junit.jupiter.api.DisplayName("a 401 drops a token at most once a minute: an API refusing everything costs one exchange")
    void unauthorizedDropsAreBoundedPerMinute() {
        RefreshingCredentials cache = new RefreshingCredentials(exchange(Duration.ofHours(1)), clock);
        AccessToken first = cache.token();
        cache.invalidate(first);
        AccessToken second = cache.token();
        assertNotEquals(first, second, "the first 401 drops the token");
        for (int i = 0; i < 100; i++) {
            clock.advance(Duration.ofMillis(500));
            cache.invalidate(second);
            assertSame(second, cache.token(), "a 401 within the minute keeps the token");
        }
        assertEquals(2, exchanges.get());
        clock.advance(Duration.ofSeconds(10)); // 60 s since the drop
        cache.invalidate(second);
        AccessToken third = cache.token();
        assertNotEquals(second, third, "a minute later a 401 drops it again");
        cache.invalidate();
        assertNotEquals(third, cache.token(), "invalidate() is not bounded: the application asked for it");
        assertEquals(4, exchanges.get());
    }

    @Test
    void toStringHidesTheToken() {
        RefreshingCredentials cache = new RefreshingCredentials(exchange(Duration.ofHours(1)), clock);
        AccessToken token = cache.token();
        assertTrue(!cache.toString().contains(token.value()) && !token.toString().contains(token.value()));
        assertTrue(token.toString().contains(token.value().substring(token.value().length() - 4)));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static <T> T waitFor(Supplier<T> condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < end) {
            T value = condition.get();
            if (value != null) {
                return value;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("condition not met within 5 s");
    }

    @Test
    @org.junit.jupiter.api.DisplayName("listeners hear each refresh with its reason: mandatory, advisory, unauthorized, forced")
    void refreshReasonsReachListeners() {
        List<WorkloadIdentityListener.TokenRefresh> heard = new ArrayList<>();
        WorkloadIdentityListener listener = new WorkloadIdentityListener() {
            @Override
            public void tokenRefreshed(WorkloadIdentityListener.TokenRefresh refresh) {
                heard.add(refresh);
            }
        };
        RefreshingCredentials cache = new RefreshingCredentials(exchange(Duration.ofHours(1)), clock, () -> 90_000,
                Runnable::run, new Listeners(List.of(listener)));
        AccessToken first = cache.token();
        clock.advance(Duration.ofSeconds(3600 - 90));
        AccessToken second = cache.token(); // the advisory caller gets the cached token; the refresh ran inline
        assertSame(first, second);
        AccessToken third = cache.token();
        cache.invalidate(first); // no longer cached: nothing dropped, no reason recorded
        cache.invalidate(third);
        AccessToken fourth = cache.token();
        cache.invalidate();
        cache.token();
        assertNotEquals(third, fourth);
        assertEquals(List.of(RefreshReason.MANDATORY, RefreshReason.ADVISORY, RefreshReason.UNAUTHORIZED,
                RefreshReason.FORCED), heard.stream().map(WorkloadIdentityListener.TokenRefresh::reason).toList());
        assertTrue(heard.stream().allMatch(r -> r.failure().isEmpty() && "success".equals(r.outcome())));
        assertEquals("mandatory advisory unauthorized forced",
                String.join(" ", heard.stream().map(r -> r.reason().tag()).toList()));
    }

    @Test
    @org.junit.jupiter.api.DisplayName("a failed refresh is heard with its failure, and a throwing listener changes nothing")
    void failedRefreshAndThrowingListener() {
        List<WorkloadIdentityListener.TokenRefresh> heard = new ArrayList<>();
        WorkloadIdentityListener throwing = new WorkloadIdentityListener() {
            @Override
            public void tokenRefreshed(WorkloadIdentityListener.TokenRefresh refresh) {
                throw new IllegalStateException("a broken metrics backend");
            }
        };
        WorkloadIdentityListener recording = new WorkloadIdentityListener() {
            @Override
            public void tokenRefreshed(WorkloadIdentityListener.TokenRefresh refresh) {
                heard.add(refresh);
            }
        };
        AtomicInteger calls = new AtomicInteger();
        RefreshingCredentials cache = new RefreshingCredentials(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new TokenExchangeException("boom", 503, null, null, null, null, null);
            }
            return new AccessToken("sk-ant-oat01-test-ok", clock.instant().plusSeconds(3600), null);
        }, clock, () -> 90_000, Runnable::run, new Listeners(List.of(throwing, recording)));
        TokenExchangeException e = assertThrows(TokenExchangeException.class, cache::token);
        assertEquals("boom", e.getMessage(), "the caller sees the exchange's own failure");
        assertEquals("sk-ant-oat01-test-ok", cache.token().value());
        assertEquals(2, heard.size(), "the second listener is still called after the first throws");
        assertSame(e, heard.get(0).failure().orElseThrow());
        assertEquals("failure", heard.get(0).outcome());
        assertEquals("success", heard.get(1).outcome());
    }
}
