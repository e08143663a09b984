package dev.wif4j.spring.boot3;

import dev.wif4j.WorkloadIdentity;
import dev.wif4j.spring.internal.TokenHealth;
import java.time.Clock;
import java.util.Objects;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * The {@code wif4j} health on Spring Boot 3, the same as {@code dev.wif4j.spring.WorkloadIdentityHealthIndicator}
 * on Spring Boot 4: UP while the cached access token is valid, DOWN once the latest exchange failed and no valid
 * token is left, UNKNOWN before the first request or when the token lapsed unused. It never triggers an exchange.
 */
public class WorkloadIdentityHealthIndicator implements HealthIndicator {
    private final WorkloadIdentity identity;
    private final Clock clock;

    /**
     * Creates the indicator.
     *
     * @param identity the workload identity
     * @param clock the clock the token's expiry is compared with
     */
    public WorkloadIdentityHealthIndicator(WorkloadIdentity identity, Clock clock) {
        this.identity = Objects.requireNonNull(identity, "identity");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Health health() {
        TokenHealth health = TokenHealth.of(identity, clock);
        return Health.status(health.status()).withDetails(health.details()).build();
    }
}
