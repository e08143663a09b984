package dev.wif4j.spring;

import dev.wif4j.WorkloadIdentity;
import dev.wif4j.WorkloadIdentityBuilder;
import dev.wif4j.spring.internal.FederationConfiguredCondition;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * One {@link WorkloadIdentity} from the {@code wif4j.*} properties, falling back to the environment as
 * {@link WorkloadIdentity#fromEnvironment()} does; closed with the context. Nothing is configured unless a
 * federation rule or a profile is named (in the properties or the environment) or {@code wif4j.enabled=true},
 * so an application that still uses an API key keeps working unchanged.
 */
@AutoConfiguration
@Conditional(FederationConfiguredCondition.class)
@EnableConfigurationProperties(Wif4jProperties.class)
public class WorkloadIdentityAutoConfiguration {
    private static final Log LOG = LogFactory.getLog(WorkloadIdentityAutoConfiguration.class);

    /** Created by Spring. */
    public WorkloadIdentityAutoConfiguration() {}

    /**
     * The workload identity. The first exchange happens on the first request, not here.
     *
     * @param properties the {@code wif4j.*} properties
     * @param customizers code-only adjustments, in order
     * @param environment to warn once about an API key that federation makes unused
     * @return the identity
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public WorkloadIdentity workloadIdentity(Wif4jProperties properties,
            ObjectProvider<WorkloadIdentityBuilderCustomizer> customizers, Environment environment) {
        WorkloadIdentityBuilder builder = WorkloadIdentity.builder()
                .federationRuleId(blankToNull(properties.getFederationRuleId()))
                .organizationId(blankToNull(properties.getOrganizationId()))
                .serviceAccountId(blankToNull(properties.getServiceAccountId()))
                .workspaceId(blankToNull(properties.getWorkspaceId()))
                .baseUrl(blankToNull(properties.getBaseUrl()))
                .profile(blankToNull(properties.getProfile()));
        if (StringUtils.hasText(properties.getProvider())) {
            builder.provider(properties.getProvider().strip(), "wif4j.provider");
        }
        if (properties.getAllowedOrigins() != null && !properties.getAllowedOrigins().isEmpty()) {
            builder.allowedOrigins(properties.getAllowedOrigins().stream().filter(StringUtils::hasText)
                    .map(String::strip).toList(), "wif4j.allowed-origins");
        }
        for (Map.Entry<String, String> setting : properties.getSettings().entrySet()) {
            builder.setting(setting.getKey(), setting.getValue());
        }
        customizers.orderedStream().forEach(c -> c.customize(builder));
        WorkloadIdentity identity = builder.build();
        // wif4j-core already warns about ANTHROPIC_API_KEY; this covers the key given only as a Spring property.
        if (StringUtils.hasText(environment.getProperty("spring.ai.anthropic.api-key"))
                && !environment.containsProperty("ANTHROPIC_API_KEY")) {
            LOG.warn("spring.ai.anthropic.api-key is set, but workload identity federation is configured ("
                    + identity.settings().federationRuleId() + "): every Claude API call is authorised with a "
                    + "federated token and the API key is ignored (never sent). Remove the key once federation works.");
        }
        return identity;
    }

    private static String blankToNull(String value) {
        return StringUtils.hasText(value) ? value.strip() : null;
    }
}
