package dev.wif4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.AccessToken;
import dev.wif4j.TokenExchangeException;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.testkit.AnthropicEmulator;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.FaultyProxy;
import dev.wif4j.testkit.ManualClock;
import dev.wif4j.testkit.OidcIssuer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * TCP-level faults between wif4j and the Anthropic emulator, through {@link FaultyProxy}: every failure
 * ends in bounded time with a bounded number of attempts, a still-valid token is served while a
 * background refresh fails, a token past its mandatory window is never returned, and no thread is left
 * behind. Each attempt is counted by the identity tokens minted (one per attempt) and at the proxy.
 */
class FaultInjectionTest {
    /** A hang guard, not a performance assertion. */
    private static final Duration HANG_GUARD = Duration.ofSeconds(20);

    private ManualClock clock;
    private OidcIssuer idp;
    private AnthropicEmulator anthropic;
    private FaultyProxy proxy;
    private FakeDetectionContext world;
    private String ruleId;
    private final AtomicInteger attempts = new AtomicInteger();

    @BeforeEach
    void start() {
        clock = ManualClock.startingNow();
        idp = OidcIssuer.builder().clock(clock).start();
        anthropic = AnthropicEmulator.builder().clock(clock).start();
        ruleId = anthropic.trust(idp, "workload");
        proxy = FaultyProxy.to(anthropic.baseUrl());
        world = FakeDetectionContext.builder().clock(clock).build();
    }

    @AfterEach
    void stop() {
        world.close();
        proxy.close();
        anthropic.close();
        idp.close();
        assertNoThreadLeftBlocked();
    }

    private WorkloadIdentity identity(int maxAttempts) {
        return WorkloadIdentity.builder().context(world)
                .federationRuleId(ruleId)
                .organizationId(anthropic.organizationId())
                .baseUrl(proxy.baseUrl())
                .identityTokenSupplier(() -> {
                    attempts.incrementAndGet();
                    return idp.mint().lifetime(Duration.ofHours(1)).sign();
                })
                .exchangeTimeout(Duration.ofSeconds(1))
                .retries(maxAttempts, Duration.ofMillis(10), Duration.ofMillis(50))
                .build();
    }

    private static TokenExchangeException fails(WorkloadIdentity identity) {
        return assertTimeoutPreemptively(HANG_GUARD,
                () -> assertThrows(TokenExchangeException.class, () -> identity.credentials().token()));
    }

    private static AccessToken succeeds(WorkloadIdentity identity) {
        return assertTimeoutPreemptively(HANG_GUARD, () -> identity.credentials().token());
    }

    /** After close, no thread may still sit in wif4j code or in the proxy. */
    private void assertNoThreadLeftBlocked() {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        List<String> stuck;
        do {
            stuck = new ArrayList<>();
            for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
                Thread t = e.getKey();
                if (t == Thread.currentThread() || !t.isAlive()) {
                    continue;
                }
                boolean inWif4j = false;
                for (StackTraceElement frame : e.getValue()) {
                    inWif4j |= frame.getClassName().startsWith("dev.wif4j.") && !frame.getClassName().startsWith("dev.wif4j.it.");
                }
                if (inWif4j || t.getName().startsWith("wif4j-token-refresh")) {
                    stuck.add(t.getName() + " " + t.getState());
                }
            }
            if (stuck.isEmpty() && proxy.liveThreads() == 0) {
                return;
            }
            Thread.onSpinWait();
        } while (System.nanoTime() < deadline);
        throw new AssertionError("threads left behind: " + stuck + ", proxy threads: " + proxy.liveThreads());
    }

    @Test
    @DisplayName("connection refused: fails after the configured attempts, in bounded time, then recovers")
    void connectionRefused() {
        proxy.refuseConnections(true);
        try (WorkloadIdentity identity = identity(3)) {
            TokenExchangeException e = fails(identity);
            assertTrue(e.getMessage().startsWith("Could not reach the token endpoint " + proxy.baseUrl()), e.getMessage());
            assertTrue(e.getMessage().contains("ConnectException"), e.getMessage());
            assertEquals(3, attempts.get(), "3 attempts, no more");
            assertEquals(0, anthropic.exchangeRequests());
            proxy.refuseConnections(false);
            assertTrue(succeeds(identity).value().startsWith("sk-ant-oat01-"));
            assertEquals(1, anthropic.exchangeRequests());
        }
    }

    @Test
    @DisplayName("a reset in the middle of the body is retried once with a new identity token")
    void resetMidBodyIsRetried() {
        proxy.resetMidBody();
        try (WorkloadIdentity identity = identity(3)) {
            assertTrue(succeeds(identity).value().startsWith("sk-ant-oat01-"));
        }
        assertEquals(2, attempts.get());
        assertEquals(2, proxy.connections());
        assertEquals(2, anthropic.exchangeRequests(), "the reset answer was minted upstream, then a second one");
    }

    @Test
    @DisplayName("resets on every attempt: an error naming the network failure, after exactly 3 connections")
    void resetEveryTime() {
        proxy.resetMidBody().resetMidBody().resetMidBody();
        try (WorkloadIdentity identity = identity(3)) {
            TokenExchangeException e = fails(identity);
            assertTrue(e.getMessage().startsWith("Could not reach the token endpoint"), e.getMessage());
        }
        assertEquals(3, proxy.connections());
        assertEquals(3, attempts.get());
    }

    @Test
    @DisplayName("a server that never answers: each attempt ends at the timeout, and the error says so")
    void stallPastTheTimeout() {
        proxy.stall().stall();
        try (WorkloadIdentity identity = identity(2)) {
            TokenExchangeException e = fails(identity);
            assertTrue(e.getMessage().contains("within 1 s"), e.getMessage());
        }
        assertEquals(2, proxy.connections());
        assertEquals(0, anthropic.exchangeRequests());
    }

    @Test
    @DisplayName("429 with Retry-After: waits as told and retries once; a 5xx burst is capped per call")
    void rateLimitAndServerErrorBurst() {
        proxy.respond(1, 429, "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow\"}}",
                "Retry-After", "1");
        try (WorkloadIdentity identity = identity(3)) {
            long start = System.nanoTime();
            succeeds(identity);
            assertTrue(System.nanoTime() - start >= Duration.ofMillis(900).toNanos(), "Retry-After: 1 was honoured");
            assertEquals(2, proxy.connections());
            identity.credentials().invalidate();
            // A burst of five 503s: the first call spends its 3 attempts and fails, the second gets through.
            proxy.respond(5, 503, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"busy\"}}");
            TokenExchangeException e = fails(identity);
            assertEquals(503, e.statusCode());
            assertEquals(5, proxy.connections());
            assertTrue(succeeds(identity).value().startsWith("sk-ant-oat01-"));
            assertEquals(8, proxy.connections(), "2 + 3 + (2 more 503s + 1 success): no retry storm");
            assertEquals(2, anthropic.exchangeRequests());
        }
    }

    @Test
    @DisplayName("advisory window: the valid token is served while refreshes fail; past the mandatory line it never is")
    void staleButValidTokenIsServedAndExpiredNeverIs() throws Exception {
        try (WorkloadIdentity identity = identity(2)) {
            AccessToken first = succeeds(identity);
            Duration life = Duration.between(clock.instant(), first.expiresAt());
            proxy.refuseConnections(true);

            clock.advance(life.minusSeconds(60)); // 60 s left: advisory
            int before = attempts.get();
            for (int i = 0; i < 20; i++) {
                assertSame(first, succeeds(identity), "a still-valid token is served at once");
            }
            // The one background refresh runs its 2 attempts and fails; callers were not made to wait for it.
            long deadline = System.nanoTime() + HANG_GUARD.toNanos();
            while (attempts.get() < before + 2 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(before + 2, attempts.get(), "one background refresh, not one per caller");

            clock.advance(Duration.ofSeconds(40)); // 20 s left: mandatory
            TokenExchangeException e = fails(identity);
            assertTrue(e.getMessage().startsWith("Could not reach the token endpoint"), e.getMessage());
            clock.advance(Duration.ofSeconds(60)); // expired
            fails(identity);

            proxy.refuseConnections(false);
            AccessToken fresh = succeeds(identity);
            assertTrue(fresh.expiresAt().isAfter(clock.instant().plusSeconds(120)), "a fresh token, not the old one");
        }
    }
}
