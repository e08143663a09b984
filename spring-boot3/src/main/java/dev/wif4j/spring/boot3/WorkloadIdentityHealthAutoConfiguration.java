package dev.wif4j.spring.boot3;

import dev.wif4j.WorkloadIdentity;
import dev.wif4j.spring.WorkloadIdentityAutoConfiguration;
import dev.wif4j.spring.internal.TokenHealth;
import java.time.Clock;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * With Spring Boot 3's Actuator: the {@code wif4j} health indicator, the same as
 * {@code dev.wif4j.spring.WorkloadIdentityHealthIndicator} on Spring Boot 4 (UP while the cached token is valid,
 * DOWN once the latest exchange failed and no valid token is left, UNKNOWN before the first request);
 * {@code management.health.wif4j.enabled=false} removes it.
 */
@AutoConfiguration(after = WorkloadIdentityAutoConfiguration.class)
@ConditionalOnClass(name = {"org.springframework.boot.actuate.health.HealthIndicator",
        "org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator"})
@ConditionalOnBean(WorkloadIdentity.class)
@ConditionalOnEnabledHealthIndicator("wif4j")
public class WorkloadIdentityHealthAutoConfiguration {

    /** Created by Spring. */
    public WorkloadIdentityHealthAutoConfiguration() {}

    /**
     * The indicator, shown as {@code wif4j}: it reads the token cache and never triggers an exchange.
     *
     * @param identity the workload identity
     * @return the indicator
     */
    @Bean
    @ConditionalOnMissingBean(name = "wif4jHealthIndicator")
    public HealthIndicator wif4jHealthIndicator(WorkloadIdentity identity) {
        Clock clock = Clock.systemUTC();
        return () -> {
            TokenHealth health = TokenHealth.of(identity, clock);
            return Health.status(health.status()).withDetails(health.details()).build();
        };
    }
}
