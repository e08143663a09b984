package dev.wif4j.internal.exchange;

import dev.wif4j.spi.internal.Json;
import dev.wif4j.spi.internal.JwtDecoder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Loads what the first token exchange runs (Jackson's reader and writer, the JWT decoder, the response parser,
 * the fetch pool) on a daemon thread, once per JVM, while {@code build()} and the application's own start-up go
 * on. In a cold JVM that is ~60 ms of class loading that would otherwise sit in front of the first API call; on
 * a second core it overlaps the application making its HTTP client. It reads canned values only: no file, no
 * network, no setting, and a failure here is left to the real path to report.
 */
public final class Preinit {
    private static final AtomicBoolean STARTED = new AtomicBoolean();
    /** {"alg":"none"} . {"exp":0} . a signature: the shape the decoder accepts. */
    private static final String JWT = "eyJhbGciOiJub25lIn0.eyJleHAiOjB9.c2lnbmF0dXJl";
    private static final byte[] RESPONSE = ("{\"access_token\":\"sk-ant-oat01-preinit\",\"token_type\":\"Bearer\","
            + "\"expires_in\":3600}").getBytes(StandardCharsets.UTF_8);

    private Preinit() {}

    /** Starts the thread, the first time only. */
    public static void start() {
        if (!STARTED.compareAndSet(false, true)) {
            return;
        }
        // A plain Runnable, not a lambda: the first lambda in a JVM is itself a cold-start cost.
        Thread thread = new Thread(new Runnable() {
            @Override
            public void run() {
                warm();
            }
        }, "wif4j-preinit");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
    }

    /** Runs each piece once on canned input; visible for the test that checks it stays quiet. */
    static void warm() {
        try {
            JwtDecoder.decode(JWT);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("grant_type", "preinit");
            Json.bytes(body);
            TokenResponseParser.parse(RESPONSE, 200, null, Instant.EPOCH, URI.create("https://localhost/"));
            GuardedFetch.warm();
        } catch (RuntimeException | LinkageError e) {
            // Nothing to report: the exchange itself meets the same problem and says so properly.
        }
    }
}
