package dev.wif4j.spring;

import dev.wif4j.WorkloadIdentity;
import dev.wif4j.spring.internal.TokenHealth;
import java.time.Clock;
import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code wif4j} health: what the token cache holds, read without an exchange.
 * <ul>
 *   <li>UP while the cached access token is valid: its remaining lifetime and the identity provider;</li>
 *   <li>DOWN once the latest exchange failed and no valid token is left: the failure's message (it holds no
 *       secret);</li>
 *   <li>UNKNOWN before the first request, or when the token lapsed unused (the next request refreshes it).</li>
 * </ul>
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
