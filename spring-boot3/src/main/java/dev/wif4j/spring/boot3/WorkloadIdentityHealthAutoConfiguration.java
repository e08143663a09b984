package dev.wif4j.spring.boot3;

import dev.wif4j.WorkloadIdentity;
import dev.wif4j.spring.WorkloadIdentityAutoConfiguration;
import java.time.Clock;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** With Spring Boot 3's Actuator: the {@code wif4j} health indicator ({@code management.health.wif4j.enabled}). */
@AutoConfiguration(after = WorkloadIdentityAutoConfiguration.class)
@ConditionalOnClass(name = {"org.springframework.boot.actuate.health.HealthIndicator",
        "org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator"})
@ConditionalOnBean(WorkloadIdentity.class)
@ConditionalOnEnabledHealthIndicator("wif4j")
public class WorkloadIdentityHealthAutoConfiguration {

    /** Created by Spring. */
    public WorkloadIdentityHealthAutoConfiguration() {}

    /**
     * The indicator, shown as {@code wif4j}; it never triggers an exchange.
     *
     * @param identity the workload identity
     * @return the indicator
     */
    @Bean
    @ConditionalOnMissingBean(name = "wif4jHealthIndicator")
    public WorkloadIdentityHealthIndicator wif4jHealthIndicator(WorkloadIdentity identity) {
        return new WorkloadIdentityHealthIndicator(identity, Clock.systemUTC());
    }
}
