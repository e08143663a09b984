package dev.wif4j.spring;

import dev.wif4j.WorkloadIdentity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
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
        Instant now = clock.instant();
        Optional<Instant> expiry = identity.cachedTokenExpiry();
        Optional<RuntimeException> failure = identity.lastFailure();
        Health.Builder health;
        if (expiry.isPresent() && expiry.get().isAfter(now)) {
            health = Health.up().withDetail("tokenRemainingSeconds", Duration.between(now, expiry.get()).toSeconds())
                    .withDetail("tokenExpiresAt", expiry.get().toString());
        } else if (failure.isPresent()) {
            health = Health.down();
        } else {
            health = Health.unknown().withDetail("token", expiry.isPresent()
                    ? "expired unused; the next request exchanges a new one" : "none yet; the first request exchanges one");
        }
        failure.ifPresent(f -> health.withDetail("lastFailure", String.valueOf(f.getMessage())));
        return health.withDetail("provider", identity.providerId())
                .withDetail("federationRuleId", identity.settings().federationRuleId())
                .build();
    }
}
