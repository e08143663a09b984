package dev.wif4j.internal.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.AccessToken;
import dev.wif4j.FederationSettings;
import dev.wif4j.HttpTransport;
import dev.wif4j.TokenExchangeException;
import dev.wif4j.WorkloadIdentityListener;
import dev.wif4j.internal.events.Listeners;
import dev.wif4j.spi.IdentityToken;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The exchange's retries (attempts, backoff, Retry-After, deadline) with injected time: every pause is recorded
 * and advances a fake nanosecond clock, so these run in microseconds and can assert the pauses a user waits.
 */
class TokenExchangerRetryTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration MS = Duration.ofMillis(1);

    /** Time that passes only when the exchange sleeps (or an attempt says it took a while). */
    private static final class FakeTime implements RetryLoop.Sleeper {
        long nanos = 1_000_000_000L;
        final List<Duration> pauses = new ArrayList<>();

        @Override
        public void sleep(Duration pause) {
            pauses.add(pause);
            nanos += pause.toNanos();
        }
    }

    /** Answers each request with the next scripted step: a response, or an I/O error. */
    private static final class ScriptedTransport implements HttpTransport {
        final Deque<Object> script = new ArrayDeque<>();
        final List<String> assertions = new ArrayList<>();
        final FakeTime time;
        Duration eachTakes = Duration.ZERO;

        ScriptedTransport(FakeTime time) {
            this.time = time;
        }

        ScriptedTransport then(int status, String... headers) {
            Map<String, List<String>> h = new java.util.HashMap<>();
            for (int i = 0; i < headers.length; i += 2) {
                h.put(headers[i], List.of(headers[i + 1]));
            }
            String body = status == 200 ? "{\"access_token\":\"sk-ant-oat01-ok\",\"expires_in\":3600}"
                    : "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"Oops\"}}";
            script.add(new Response(status, h, body.getBytes(StandardCharsets.UTF_8)));
            return this;
        }

        ScriptedTransport thenDisconnect() {
            script.add(new IOException("Connection reset"));
            return this;
        }

        @Override
        public Response send(Request request) throws IOException {
            String body = new String(request.body(), StandardCharsets.UTF_8);
            assertions.add(body.replaceAll(".*\"assertion\":\"([^\"]*)\".*", "$1"));
            time.nanos += eachTakes.toNanos();
            Object next = script.removeFirst();
            if (next instanceof IOException e) {
                throw e;
            }
            return (Response) next;
        }
    }

    private final FakeTime time = new FakeTime();
    private final ScriptedTransport transport = new ScriptedTransport(time);
    private final List<WorkloadIdentityListener.TokenExchange> exchanges = new ArrayList<>();
    private int fetches;

    private IdentityToken freshToken() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String claims = "{\"iss\":\"https://issuer.example\",\"sub\":\"s\",\"aud\":\"https://api.anthropic.com\","
                + "\"jti\":\"jti-" + (++fetches) + "\"}";
        return IdentityToken.parse(b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".c2lnbmF0dXJl");
    }

    private TokenExchanger exchanger(TokenExchanger.Options options, RetryLoop.Sleeper sleeper) {
        FederationSettings settings = new FederationSettings("fdrl_1", "org-1", null, null,
                URI.create("http://127.0.0.1:9"), null, "test");
        Listeners listeners = new Listeners(List.of(new WorkloadIdentityListener() {
            @Override
            public void tokenExchanged(WorkloadIdentityListener.TokenExchange exchange) {
                exchanges.add(exchange);
            }
        }));
        return new TokenExchanger(settings, this::freshToken, transport, Clock.fixed(NOW, ZoneOffset.UTC), options,
                "wif4j-test", "https://api.anthropic.com", "test", listeners, sleeper, () -> time.nanos);
    }

    private TokenExchanger exchanger(TokenExchanger.Options options) {
        return exchanger(options, time);
    }

    /** The defaults (0.5 s first backoff, 30 s for Retry-After) with other attempts, cap and deadline. */
    private static TokenExchanger.Options options(int maxAttempts, Duration maxBackoff, Duration deadline) {
        return new TokenExchanger.Options(Duration.ofSeconds(30), maxAttempts, Duration.ofMillis(500), maxBackoff,
                Duration.ofSeconds(30), deadline, Duration.ofSeconds(10));
    }

    /** The exchange fails with this status after this many requests. */
    private TokenExchangeException failure(TokenExchanger exchanger, int status, int requests) {
        TokenExchangeException e = assertThrows(TokenExchangeException.class, exchanger::exchange);
        assertEquals(status, e.statusCode(), e.getMessage());
        assertEquals(requests, transport.assertions.size());
        return e;
    }

    private TokenExchanger exchanger() {
        return exchanger(TokenExchanger.Options.defaults());
    }

    /** Equal jitter: a pause is between half the (capped) backoff and all of it. */
    private static void assertBackoff(long fullMillis, Duration pause) {
        assertTrue(pause.compareTo(MS.multipliedBy(fullMillis / 2)) >= 0
                && pause.compareTo(MS.multipliedBy(fullMillis)) <= 0, pause + " is not within the backoff "
                + fullMillis / 2 + "-" + fullMillis + " ms");
    }

    @Test
    @DisplayName("a 503 is retried with a new identity token after the first backoff (0.25-0.5 s)")
    void serviceUnavailableIsRetriedWithANewTokenAfterTheFirstBackoff() {
        transport.then(503).then(200);
        AccessToken token = exchanger().exchange();
        assertEquals("sk-ant-oat01-ok", token.value());
        assertEquals(2, transport.assertions.size());
        assertEquals(2, new HashSet<>(transport.assertions).size(), "each attempt presents a new token");
        assertEquals(1, time.pauses.size());
        assertBackoff(500, time.pauses.get(0));
        assertEquals(2, exchanges.get(0).attempts());
        assertEquals(time.pauses.get(0), exchanges.get(0).duration(), "the event's duration is the time that passed");
    }

    @Test
    @DisplayName("a 429's Retry-After is waited exactly; a dropped connection is retried after the second backoff")
    void retryAfterIsWaitedAndADisconnectBacksOff() {
        transport.then(429, "Retry-After", "1").thenDisconnect().then(200);
        exchanger().exchange();
        assertEquals(3, transport.assertions.size());
        assertEquals(2, time.pauses.size());
        assertEquals(Duration.ofSeconds(1), time.pauses.get(0));
        assertBackoff(1000, time.pauses.get(1));
    }

    @Test
    @DisplayName("a Retry-After longer than maxRetryAfter fails at once, without a pause")
    void longRetryAfterIsNotWaitedFor() {
        transport.then(429, "Retry-After", "120");
        failure(exchanger(), 429, 1);
        assertEquals(List.of(), time.pauses);
    }

    @Test
    @DisplayName("a persistent 5xx gives up after maxAttempts, having backed off 0.5 s then 1 s (with jitter)")
    void persistentServerErrorsGiveUpAfterTheBackoffSequence() {
        transport.then(500).then(500).then(500);
        TokenExchangeException e = failure(exchanger(), 500, 3);
        assertTrue(e.hint().orElseThrow().contains("wif4j retried 3 times in all"), e.getMessage());
        assertEquals(2, time.pauses.size());
        assertBackoff(500, time.pauses.get(0));
        assertBackoff(1000, time.pauses.get(1));
        assertEquals(3, exchanges.get(0).attempts());
        assertEquals(e, exchanges.get(0).failure().orElseThrow());
    }

    @Test
    @DisplayName("the backoff doubles up to maxBackoff and stays there")
    void backoffIsCappedAtMaxBackoff() {
        for (int i = 0; i < 6; i++) {
            transport.then(503);
        }
        failure(exchanger(options(6, Duration.ofSeconds(2), Duration.ofMinutes(1))), 503, 6);
        long[] full = {500, 1000, 2000, 2000, 2000};
        assertEquals(full.length, time.pauses.size());
        for (int i = 0; i < full.length; i++) {
            assertBackoff(full[i], time.pauses.get(i));
        }
    }

    @Test
    @DisplayName("no pause runs past the deadline: a retry that would end after it is not made")
    void deadlineLeavesNoRoomForAnotherAttempt() {
        transport.eachTakes = Duration.ofMillis(1500);
        transport.then(503, "Retry-After", "1").then(200);
        failure(exchanger(options(3, Duration.ofSeconds(5), Duration.ofSeconds(2))), 503, 1);
        assertEquals(List.of(), time.pauses);
    }

    @Test
    @DisplayName("an interrupt during a pause ends the exchange and keeps the thread's interrupt")
    void interruptedPauseEndsTheExchange() {
        transport.then(503).then(200);
        TokenExchanger exchanger = exchanger(TokenExchanger.Options.defaults(), pause -> {
            throw new InterruptedException();
        });
        try {
            TokenExchangeException e = assertThrows(TokenExchangeException.class, exchanger::exchange);
            assertEquals("Interrupted while waiting to retry the token exchange at http://127.0.0.1:9/v1/oauth/token.",
                    e.getMessage());
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
        assertEquals(1, transport.assertions.size());
        assertEquals(1, exchanges.get(0).attempts(), "the listener hears of the interrupted exchange");
        assertFalse(Thread.currentThread().isInterrupted());
    }
}
