package dev.wif4j.spring;

import dev.wif4j.WorkloadIdentity;
import org.springframework.boot.actuate.autoconfigure.info.ConditionalOnEnabledInfoContributor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With Actuator: the {@code wif4j} info contributor; {@code management.info.wif4j.enabled=false} removes it
 * (the endpoint itself is exposed over HTTP only if {@code management.endpoints.web.exposure.include} names
 * {@code info}).
 */
@AutoConfiguration(after = WorkloadIdentityAutoConfiguration.class)
@ConditionalOnClass(name = {"org.springframework.boot.actuate.info.InfoContributor",
        "org.springframework.boot.actuate.autoconfigure.info.ConditionalOnEnabledInfoContributor"})
@ConditionalOnBean(WorkloadIdentity.class)
public class WorkloadIdentityInfoAutoConfiguration {

    /** Created by Spring. */
    public WorkloadIdentityInfoAutoConfiguration() {}

    /**
     * The contributor's configuration, nested so that its Actuator condition is read only once Actuator is known to
     * be on the class path.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnEnabledInfoContributor("wif4j")
    public static class Wif4jInfoContributorConfiguration {

        /** Created by Spring. */
        public Wif4jInfoContributorConfiguration() {}

        /**
         * The contributor, shown as {@code wif4j}; it never triggers an exchange.
         *
         * @param identity the workload identity
         * @return the contributor
         */
        @Bean
        @ConditionalOnMissingBean(name = "wif4jInfoContributor")
        public WorkloadIdentityInfoContributor wif4jInfoContributor(WorkloadIdentity identity) {
            return new WorkloadIdentityInfoContributor(identity);
        }
    }
}
