package dev.wif4j.spring;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.anthropic.WorkloadIdentityInterceptor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.context.annotation.Bean;

/**
 * With the official client ({@code com.anthropic:anthropic-java}) and without Spring AI: an
 * {@link AnthropicClient} bean authorised by {@link WorkloadIdentityInterceptor}, unless the application
 * defines its own.
 */
@AutoConfiguration(after = WorkloadIdentityAutoConfiguration.class)
@ConditionalOnClass(name = "com.anthropic.client.okhttp.AnthropicOkHttpClient")
@ConditionalOnMissingClass("org.springframework.ai.anthropic.AnthropicChatModel")
@ConditionalOnBean(WorkloadIdentity.class)
public class AnthropicClientAutoConfiguration {

    /** Created by Spring. */
    public AnthropicClientAutoConfiguration() {}

    /**
     * The client, sending to the federation's base URL (the same host the token is for).
     *
     * @param identity the workload identity
     * @return the client, closed with the context
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public AnthropicClient anthropicClient(WorkloadIdentity identity) {
        return AnthropicOkHttpClient.builder()
                .baseUrl(identity.settings().baseUrl().toString())
                .addInterceptor(WorkloadIdentityInterceptor.of(identity))
                .build();
    }
}
