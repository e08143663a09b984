package dev.wif4j.spring;

import dev.wif4j.WorkloadIdentity;
import dev.wif4j.WorkloadIdentityListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * wif4j's Micrometer meters, fed by {@link WorkloadIdentityListener} events. The starter adds one to the
 * {@link WorkloadIdentity} it builds when a {@link MeterRegistry} bean exists; an application that builds its own
 * adds it with {@code builder.listener(new WorkloadIdentityMetrics(registry))}.
 * <ul>
 *   <li>{@value #TOKEN_EXCHANGE} (timer): each token exchange, every attempt and pause included; tags
 *       {@code provider}, {@code outcome} ({@code success} / {@code failure}) and {@code error.type}
 *       ({@code none}, a known API or OAuth error type such as {@code invalid_grant}, {@code http_<status>}
 *       for common statuses, else {@code http_4xx} / {@code http_5xx}, {@code network}, {@code identity_token}
 *       or {@code other}: a fixed set, whatever the server answers, see
 *       {@link WorkloadIdentityListener.TokenExchange#errorType()});</li>
 *   <li>{@value #IDENTITY_TOKEN_FETCH} (timer): each identity-token fetch; tags {@code provider},
 *       {@code outcome};</li>
 *   <li>{@value #TOKEN_REFRESH} (counter): each refresh of the cached token; tags {@code reason}
 *       ({@code advisory}, {@code mandatory}, {@code forced}, {@code unauthorized}), {@code outcome};</li>
 *   <li>{@value #TOKEN_EXPIRY_REMAINING} (gauge, seconds, see {@link #registerExpiryGauge}): the cached
 *       token's remaining lifetime, 0 when none is cached or it has expired; tag {@code provider}.</li>
 * </ul>
 * Tag values are few and fixed, so the meters stay cheap; no meter carries a token.
 */
public final class WorkloadIdentityMetrics implements WorkloadIdentityListener {
    /** The token-exchange timer's name. */
    public static final String TOKEN_EXCHANGE = "wif4j.token.exchange";
    /** The identity-token fetch timer's name. */
    public static final String IDENTITY_TOKEN_FETCH = "wif4j.identity_token.fetch";
    /** The refresh counter's name. */
    public static final String TOKEN_REFRESH = "wif4j.token.refresh";
    /** The remaining-lifetime gauge's name. */
    public static final String TOKEN_EXPIRY_REMAINING = "wif4j.token.expiry.remaining";

    private final MeterRegistry registry;

    /**
     * Creates the listener.
     *
     * @param registry where the meters are registered
     */
    public WorkloadIdentityMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void identityTokenFetched(IdentityTokenFetch fetch) {
        Timer.builder(IDENTITY_TOKEN_FETCH).description("Identity-token fetches from the identity provider")
                .tag("provider", fetch.providerId()).tag("outcome", fetch.outcome())
                .register(registry).record(fetch.duration());
    }

    @Override
    public void tokenExchanged(TokenExchange exchange) {
        Timer.builder(TOKEN_EXCHANGE).description("Token exchanges at the Claude API's token endpoint")
                .tag("provider", exchange.providerId()).tag("outcome", exchange.outcome())
                .tag("error.type", exchange.errorType())
                .register(registry).record(exchange.duration());
    }

    @Override
    public void tokenRefreshed(TokenRefresh refresh) {
        Counter.builder(TOKEN_REFRESH).description("Refreshes of the cached access token")
                .tag("reason", refresh.reason().tag()).tag("outcome", refresh.outcome())
                .register(registry).increment();
    }

    /**
     * Registers the {@value #TOKEN_EXPIRY_REMAINING} gauge for an identity: the seconds left on its cached token,
     * read from {@link WorkloadIdentity#cachedTokenExpiry()}, so that reading it never exchanges or refreshes.
     *
     * @param registry where to register it
     * @param identity the identity whose token cache is read; held weakly, as Micrometer holds gauge objects
     * @param clock the clock the expiry is compared with
     * @return the gauge; remove it from the registry when the identity is closed
     */
    public static Gauge registerExpiryGauge(MeterRegistry registry, WorkloadIdentity identity, Clock clock) {
        Objects.requireNonNull(clock, "clock");
        return Gauge.builder(TOKEN_EXPIRY_REMAINING, identity, id -> remainingSeconds(id.cachedTokenExpiry(), clock))
                .description("Seconds left on the cached access token; 0 when none is cached or it has expired")
                .baseUnit("seconds").tag("provider", identity.providerId())
                .register(Objects.requireNonNull(registry, "registry"));
    }

    private static double remainingSeconds(Optional<Instant> expiry, Clock clock) {
        return expiry.map(e -> Math.max(0, Duration.between(clock.instant(), e).toMillis()) / 1000.0).orElse(0.0);
    }
}
