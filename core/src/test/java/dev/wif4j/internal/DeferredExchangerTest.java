package dev.wif4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.AccessToken;
import dev.wif4j.FederationSettings;
import dev.wif4j.HttpTransport;
import dev.wif4j.internal.events.Listeners;
import dev.wif4j.internal.exchange.TokenExchanger;
import dev.wif4j.spi.IdentityToken;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The exchange {@code build()} leaves to its first use: made once, by whichever caller comes first, over the
 * transport the application gave, with the settings read at {@code build()}.
 */
class DeferredExchangerTest {
    private static final String JWT_SECRET_PART = "c2lnbmF0dXJlLXNlY3JldA";

    private final AtomicInteger requests = new AtomicInteger();
    private final List<String> userAgents = new ArrayList<>();

    /** Answers every request with a token, counting them. */
    private final HttpTransport transport = request -> {
        requests.incrementAndGet();
        synchronized (userAgents) {
            userAgents.add(request.headers().get("User-Agent"));
        }
        return new HttpTransport.Response(200, Map.of(), ("{\"access_token\":\"sk-ant-oat01-deferred\","
                + "\"expires_in\":3600}").getBytes(StandardCharsets.UTF_8));
    };

    private static IdentityToken token() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return IdentityToken.parse(b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString("{\"iss\":\"https://issuer.example\",\"sub\":\"s\"}".getBytes(
                        StandardCharsets.UTF_8)) + "." + JWT_SECRET_PART);
    }

    private DeferredExchanger deferred(HttpTransport given) {
        FederationSettings settings = new FederationSettings("fdrl_1", "00000000-0000-0000-0000-000000000001", null,
                null, URI.create("http://127.0.0.1:9"), null, "test");
        return new DeferredExchanger(settings, DeferredExchangerTest::token, null, given, Clock.systemUTC(),
                TokenExchanger.Options.defaults(), "https://api.anthropic.com", "file", Listeners.NONE);
    }

    @Test
    void theExchangerIsMadeAtTheFirstUseAndKept() {
        DeferredExchanger deferred = deferred(transport);
        assertTrue(deferred.toString().contains("not made yet"), deferred.toString());
        assertEquals(0, requests.get(), "making the holder sends nothing");

        AccessToken first = deferred.get();
        TokenExchanger made = deferred.exchanger();
        assertEquals("sk-ant-oat01-deferred", first.value());
        assertEquals(1, requests.get(), "one exchange, one request");
        assertSame(made, deferred.exchanger(), "the exchanger is made once");
        assertFalse(deferred.toString().contains("not made yet"), deferred.toString());
        assertTrue(userAgents.get(0).startsWith("wif4j/") && userAgents.get(0).contains("provider file"),
                "the User-Agent names the provider: " + userAgents);
    }

    @Test
    void concurrentFirstCallersShareOneExchanger() throws Exception {
        DeferredExchanger deferred = deferred(transport);
        int callers = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<TokenExchanger>> made = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                made.add(pool.submit(() -> {
                    start.await();
                    return deferred.exchanger();
                }));
            }
            start.countDown();
            TokenExchanger one = made.get(0).get(10, TimeUnit.SECONDS);
            for (Future<TokenExchanger> f : made) {
                assertSame(one, f.get(10, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, requests.get(), "making the exchanger sends nothing");
    }

    @Test
    void itsTextShowsNoSecret() {
        DeferredExchanger deferred = deferred(transport);
        deferred.get();
        assertFalse(deferred.toString().contains(JWT_SECRET_PART), deferred.toString());
        assertFalse(deferred.toString().contains("sk-ant-oat01-deferred"), deferred.toString());
    }
}
