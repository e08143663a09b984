package dev.wif4j.internal.exchange;

import dev.wif4j.FederationSettings;
import dev.wif4j.HttpTransport;
import dev.wif4j.internal.events.Listeners;
import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.IdentityTokenSource;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one token exchange end to end against canned answers on a daemon thread, once per JVM, while
 * {@code build()} and the application's own start-up go on: the first real exchange then finds its classes
 * (Jackson's reader and writer, the JWT decoder, the retry loop, the fetch pool, the response parser) loaded and
 * its call sites linked. In a cold JVM that is ~60 ms that would otherwise sit in front of the first API call;
 * on a second core it overlaps the application making its HTTP client. The transport is in memory: no file,
 * no network, no setting is read, nothing is reported, and a failure here is left to the real path to meet.
 */
public final class Preinit implements Runnable, IdentityTokenSource, HttpTransport {
    private static final AtomicBoolean STARTED = new AtomicBoolean();
    /** {"alg":"none"} . {"exp":0} . a signature: the shape the decoder accepts. */
    private static final String JWT = "eyJhbGciOiJub25lIn0.eyJleHAiOjB9.c2lnbmF0dXJl";
    private static final byte[] RESPONSE = ("{\"access_token\":\"sk-ant-oat01-preinit\",\"token_type\":\"Bearer\","
            + "\"expires_in\":3600}").getBytes(StandardCharsets.UTF_8);

    /** The canned identity token, parsed by the dry run before its exchange fetches it. */
    private IdentityToken token;

    private Preinit() {}

    /** Starts the thread, the first time only. */
    public static void start() {
        if (!STARTED.compareAndSet(false, true)) {
            return;
        }
        Thread thread = new Thread(new Preinit(), "wif4j-preinit");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * One exchange with a canned identity token and a canned 200, through the same code as a real one.
     *
     * @return whether it produced an access token (for the test that keeps it covering the whole exchange)
     */
    static boolean dryRun() {
        return new Preinit().exchange();
    }

    /**
     * The thread's task. This one object is also the dry run's token source and transport: three classes (or
     * lambdas) would be three more for the cold JVM it runs in to load.
     */
    @Override
    public void run() {
        exchange();
    }

    private boolean exchange() {
        try {
            // Jackson's factory first: it is the longest to load (some 50 classes), and the real exchange needs it
            // as soon as it reads the identity token, before its request can go out.
            token = IdentityToken.parse(JWT);
            FederationSettings settings = new FederationSettings("fdrl_preinit",
                    "00000000-0000-0000-0000-000000000000", null, null, URI.create("https://localhost"), null,
                    "preinit");
            return new TokenExchanger(settings, this, this, Clock.systemUTC(), TokenExchanger.Options.defaults(),
                    "preinit", "preinit", "preinit", Listeners.NONE).exchange() != null;
        } catch (RuntimeException | LinkageError e) {
            // Nothing to report: the real exchange meets the same problem and says so properly.
            return false;
        }
    }

    /**
     * The dry run's identity token source: the token parsed at its start, which is what a provider's source does.
     *
     * @return the canned token
     */
    @Override
    public IdentityToken fetch() {
        return token;
    }

    /**
     * The dry run's transport: a canned 200.
     *
     * @param request the exchange's request
     * @return the canned answer
     */
    @Override
    public HttpTransport.Response send(HttpTransport.Request request) {
        return new HttpTransport.Response(200, Map.of("request-id", List.of("preinit")), RESPONSE);
    }
}
