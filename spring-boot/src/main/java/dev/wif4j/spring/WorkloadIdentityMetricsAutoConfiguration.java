package dev.wif4j.spring;

import dev.wif4j.WorkloadIdentity;
import dev.wif4j.spring.internal.RegisteredMeter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * With Micrometer and a {@link MeterRegistry} bean: {@link WorkloadIdentityMetrics}' meters. The starter's own
 * {@link WorkloadIdentity} gets the listener (timers and counter) through a {@link WorkloadIdentityBuilderCustomizer};
 * any {@link WorkloadIdentity} bean, an application's own included, gets the remaining-lifetime gauge.
 */
@AutoConfiguration(after = WorkloadIdentityAutoConfiguration.class, afterName = {
        // Where Spring Boot defines the MeterRegistry bean (and, after every exporter, the composite).
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        // The same on Spring Boot 3, where wif4j-spring-boot3-starter runs this auto-configuration too.
        "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration"})
@ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
@ConditionalOnBean(type = {"io.micrometer.core.instrument.MeterRegistry", "dev.wif4j.WorkloadIdentity"})
public class WorkloadIdentityMetricsAutoConfiguration {

    /** Created by Spring. */
    public WorkloadIdentityMetricsAutoConfiguration() {}

    /**
     * Adds the metrics listener to the identity the starter builds from the properties.
     *
     * @param registry the application's registry
     * @return the customizer
     */
    @Bean
    @ConditionalOnMissingBean(name = "wif4jMetricsBuilderCustomizer")
    public WorkloadIdentityBuilderCustomizer wif4jMetricsBuilderCustomizer(MeterRegistry registry) {
        WorkloadIdentityMetrics metrics = new WorkloadIdentityMetrics(registry);
        return builder -> builder.listener(metrics);
    }

    /**
     * The {@value WorkloadIdentityMetrics#TOKEN_EXPIRY_REMAINING} gauge, removed from the registry with the context.
     *
     * @param registry the application's registry
     * @param identity the workload identity, the starter's or the application's
     * @return the registered gauge
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(name = "wif4jTokenExpiryGauge")
    public RegisteredMeter wif4jTokenExpiryGauge(MeterRegistry registry, WorkloadIdentity identity) {
        return new RegisteredMeter(registry, WorkloadIdentityMetrics.registerExpiryGauge(registry, identity,
                Clock.systemUTC()));
    }
}
