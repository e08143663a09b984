package dev.wif4j.spring;

import dev.wif4j.WorkloadIdentity;
import dev.wif4j.spring.internal.OkHttpBearerInterceptor;
import org.springframework.ai.anthropic.http.okhttp.AnthropicHttpClientBuilderCustomizer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * With Spring AI's Anthropic starter (Spring AI 2, built on the official client): every request of its sync
 * and async clients carries a federated bearer token instead of the API key, which may then be left empty.
 */
@AutoConfiguration(after = WorkloadIdentityAutoConfiguration.class,
        beforeName = "org.springframework.ai.model.anthropic.autoconfigure.AnthropicChatAutoConfiguration")
@ConditionalOnClass(name = {"org.springframework.ai.anthropic.http.okhttp.AnthropicHttpClientBuilderCustomizer",
        "okhttp3.Interceptor"})
@ConditionalOnBean(WorkloadIdentity.class)
public class SpringAiAnthropicAutoConfiguration {

    /** Created by Spring. */
    public SpringAiAnthropicAutoConfiguration() {}

    /**
     * Adds wif4j's interceptor to each HTTP client Spring AI builds. One interceptor serves both; adding it
     * twice to one client changes nothing.
     *
     * @param identity the workload identity
     * @return the customizer
     */
    @Bean
    @ConditionalOnMissingBean(name = "wif4jAnthropicHttpClientBuilderCustomizer")
    public AnthropicHttpClientBuilderCustomizer wif4jAnthropicHttpClientBuilderCustomizer(WorkloadIdentity identity) {
        OkHttpBearerInterceptor interceptor = new OkHttpBearerInterceptor(identity.credentials());
        return builder -> builder.interceptor(interceptor);
    }
}
