package dev.wif4j.spring.internal;

import dev.wif4j.WorkloadIdentity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code wif4j} health as plain values, read from the token cache without an exchange: the health indicators of
 * both starters (Spring Boot 4's {@code org.springframework.boot.health} and Spring Boot 3's
 * {@code org.springframework.boot.actuate.health}) turn it into their own {@code Health}.
 *
 * @param status {@code UP}, {@code DOWN} or {@code UNKNOWN}
 * @param details the details, in the order they are shown
 */
public record TokenHealth(String status, Map<String, Object> details) {

    /**
     * Reads the health of an identity.
     *
     * @param identity the workload identity
     * @param clock the clock the token's expiry is compared with
     * @return its health now
     */
    public static TokenHealth of(WorkloadIdentity identity, Clock clock) {
        Instant now = clock.instant();
        Optional<Instant> expiry = identity.cachedTokenExpiry();
        Optional<RuntimeException> failure = identity.lastFailure();
        Map<String, Object> details = new LinkedHashMap<>();
        String status;
        if (expiry.isPresent() && expiry.get().isAfter(now)) {
            status = "UP";
            details.put("tokenRemainingSeconds", Duration.between(now, expiry.get()).toSeconds());
            details.put("tokenExpiresAt", expiry.get().toString());
        } else if (failure.isPresent()) {
            status = "DOWN";
        } else {
            status = "UNKNOWN";
            details.put("token", expiry.isPresent()
                    ? "expired unused; the next request exchanges a new one" : "none yet; the first request exchanges one");
        }
        failure.ifPresent(f -> details.put("lastFailure", String.valueOf(f.getMessage())));
        details.put("provider", identity.providerId());
        details.put("federationRuleId", identity.settings().federationRuleId());
        return new TokenHealth(status, Collections.unmodifiableMap(details));
    }
}
