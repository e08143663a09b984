package dev.wif4j.spring.boot3;

import dev.wif4j.TokenScope;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.WorkloadIdentityException;
import dev.wif4j.spring.WorkloadIdentityAutoConfiguration;
import dev.wif4j.spring.boot3.internal.BearerExchangeFilter;
import dev.wif4j.spring.boot3.internal.BearerRequestInterceptor;
import java.net.URI;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.ai.model.anthropic.autoconfigure.AnthropicConnectionProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.web.client.RestClientCustomizer;
import org.springframework.boot.web.reactive.function.client.WebClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import org.springframework.core.env.Environment;
import org.springframework.web.client.RestClient;

/**
 * With Spring AI 1.1's Anthropic starter, whose {@code AnthropicApi} calls Claude through the application's
 * {@code RestClient.Builder} (blocking calls) and {@code WebClient.Builder} (streaming): a
 * {@link RestClientCustomizer} and a {@link WebClientCustomizer} that put a federated bearer token on every request
 * to the Anthropic base URL's origin (or an allowed origin) and on no other, so the application's own clients from
 * the same builders are left as they are. {@code spring.ai.anthropic.api-key} may be left out.
 */
@AutoConfiguration(after = WorkloadIdentityAutoConfiguration.class, afterName = {
        "org.springframework.boot.autoconfigure.web.client.RestClientAutoConfiguration",
        "org.springframework.boot.autoconfigure.web.reactive.function.client.WebClientAutoConfiguration"},
        beforeName = "org.springframework.ai.model.anthropic.autoconfigure.AnthropicChatAutoConfiguration")
@ConditionalOnClass(name = {"org.springframework.ai.anthropic.api.AnthropicApi",
        "org.springframework.web.client.RestClient",
        "org.springframework.web.reactive.function.client.WebClient"})
@ConditionalOnBean(WorkloadIdentity.class)
public class SpringAiAnthropicAutoConfiguration {
    private static final Log LOG = LogFactory.getLog(SpringAiAnthropicAutoConfiguration.class);

    /** Created by Spring. */
    public SpringAiAnthropicAutoConfiguration() {}

    /**
     * Adds the bearer interceptor to every {@code RestClient.Builder} Spring Boot hands out. Warns once when
     * {@code spring.ai.anthropic.base-url} is an origin the token may not go to: Spring AI's calls would then
     * go out without it.
     *
     * @param identity the workload identity
     * @param environment where Spring AI's base URL is read
     * @return the customizer
     */
    @Bean
    @ConditionalOnMissingBean(name = "wif4jRestClientCustomizer")
    public RestClientCustomizer wif4jRestClientCustomizer(WorkloadIdentity identity, Environment environment) {
        warnIfOutOfScope(identity.credentials().tokenScope(),
                environment.getProperty("spring.ai.anthropic.base-url", "https://api.anthropic.com"));
        BearerRequestInterceptor interceptor = new BearerRequestInterceptor(identity.credentials());
        return builder -> builder.requestInterceptor(interceptor);
    }

    /**
     * Adds the bearer filter to every {@code WebClient.Builder} Spring Boot hands out.
     *
     * @param identity the workload identity
     * @return the customizer
     */
    @Bean
    @ConditionalOnMissingBean(name = "wif4jWebClientCustomizer")
    public WebClientCustomizer wif4jWebClientCustomizer(WorkloadIdentity identity) {
        BearerExchangeFilter filter = new BearerExchangeFilter(identity.credentials());
        return builder -> builder.filter(filter);
    }

    /**
     * In a reactive (WebFlux) application Spring Boot defines no {@code RestClient.Builder}, and Spring AI would call
     * Claude through a plain one the customizers never see: this one takes its place, a new
     * {@code RestClient.builder()} with the {@link RestClientCustomizer}s applied, as Spring Boot's own.
     *
     * @param customizers the customizers, wif4j's among them
     * @return a new builder on each injection
     */
    @Bean
    @Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
    @ConditionalOnMissingBean(RestClient.Builder.class)
    public RestClient.Builder wif4jRestClientBuilder(ObjectProvider<RestClientCustomizer> customizers) {
        RestClient.Builder builder = RestClient.builder();
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return builder;
    }

    private static void warnIfOutOfScope(TokenScope scope, String baseUrl) {
        try {
            scope.check(URI.create(baseUrl.strip()));
        } catch (WorkloadIdentityException | IllegalArgumentException e) {
            LOG.warn("spring.ai.anthropic.base-url is not where wif4j sends the federated token: Spring AI's calls go "
                    + "there without it (with spring.ai.anthropic.api-key, if that is set). " + e.getMessage());
        }
    }

    /** With Spring AI's auto-configuration: lets {@code spring.ai.anthropic.api-key} be left out. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.ai.model.anthropic.autoconfigure.AnthropicConnectionProperties")
    public static class ApiKeyConfiguration {

        /** Created by Spring. */
        public ApiKeyConfiguration() {}

        /**
         * Spring AI 1.1 refuses to start without an API key (a null one), but sends none when it is empty: an unset
         * key becomes the empty one, so no placeholder key exists and nothing is sent as {@code x-api-key} (the
         * interceptor would remove it anyway). A key that is set is kept, and never sent either.
         *
         * @return the post-processor
         */
        @Bean
        public static BeanPostProcessor wif4jAnthropicApiKeyDefault() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String beanName) {
                    if (bean instanceof AnthropicConnectionProperties properties && properties.getApiKey() == null) {
                        properties.setApiKey("");
                    }
                    return bean;
                }
            };
        }
    }
}
