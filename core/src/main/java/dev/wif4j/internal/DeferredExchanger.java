package dev.wif4j.internal;

import dev.wif4j.AccessToken;
import dev.wif4j.FederationSettings;
import dev.wif4j.HttpTransport;
import dev.wif4j.internal.events.Listeners;
import dev.wif4j.internal.exchange.Preinit;
import dev.wif4j.internal.exchange.TokenExchanger;
import dev.wif4j.spi.IdentityTokenSource;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The token exchange of one {@code WorkloadIdentity}, made at its first exchange rather than at {@code build()}.
 * Every setting it takes has been read and checked by then, so making it cannot fail; what waits is loading the
 * exchange's classes (the exchanger, its retry loop, its failure reports, the transport), some twenty in a cold JVM.
 * An application that builds its identity and then makes its HTTP client finds them loaded by then by the
 * {@link Preinit} thread, on the other core; one that asks for a token at once loads them then, as before.
 *
 * <p>Thread-safe: the first caller makes the exchanger, the others wait for it.
 */
public final class DeferredExchanger implements Supplier<AccessToken> {
    private final FederationSettings settings;
    private final IdentityTokenSource source;
    private final HttpClient httpClient;
    private final HttpTransport transport;
    private final Clock clock;
    private final TokenExchanger.Options options;
    private final String audience;
    private final String providerId;
    private final Listeners listeners;
    private volatile TokenExchanger exchanger;

    /**
     * Keeps what the exchanger will be made of.
     *
     * @param settings rule, organization, base URL
     * @param source where identity tokens come from
     * @param httpClient the application's client for the exchange, or {@code null}
     * @param transport the application's transport for the exchange, or {@code null} (wif4j's own JDK client is
     *     made at the first request when neither is given)
     * @param clock the clock expiries are computed with
     * @param options retries and timeouts
     * @param audience the audience identity tokens are expected to carry
     * @param providerId the provider's id
     * @param listeners told of each fetch and exchange
     */
    public DeferredExchanger(FederationSettings settings, IdentityTokenSource source, HttpClient httpClient,
            HttpTransport transport, Clock clock, TokenExchanger.Options options, String audience, String providerId,
            Listeners listeners) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.source = Objects.requireNonNull(source, "source");
        this.httpClient = httpClient;
        this.transport = transport;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.options = Objects.requireNonNull(options, "options");
        this.audience = Objects.requireNonNull(audience, "audience");
        this.providerId = Objects.requireNonNull(providerId, "providerId");
        this.listeners = Objects.requireNonNull(listeners, "listeners");
    }

    /**
     * The exchanger, made by the first call.
     *
     * @return the exchanger
     */
    public TokenExchanger exchanger() {
        TokenExchanger made = exchanger;
        if (made == null) {
            synchronized (this) {
                made = exchanger;
                if (made == null) {
                    HttpTransport sender = transport != null ? transport
                            : httpClient != null ? HttpTransport.of(httpClient) : HttpTransport.jdk();
                    made = new TokenExchanger(settings, source, sender, clock, options,
                            Version.userAgent(providerId), audience, providerId, listeners);
                    exchanger = made;
                }
            }
        }
        return made;
    }

    /**
     * One exchange, retries included, as {@link TokenExchanger#exchange()}.
     *
     * @return the access token
     */
    @Override
    public AccessToken get() {
        return exchanger().exchange();
    }

    @Override
    public String toString() {
        return "DeferredExchanger[" + providerId + ", " + (exchanger == null ? "not made yet" : exchanger) + "]";
    }
}
