package dev.wif4j.spring.boot3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wif4j.spring.WorkloadIdentityMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.actuate.health.HealthContributorRegistry;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.context.ConfigurableApplicationContext;

/** Spring Boot 3's Actuator and metrics: the same health, info and meters as on Spring Boot 4. */
class ActuatorBoot3Test {
    private final Boot3Application app = new Boot3Application();

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    @DisplayName("the wif4j health goes from UNKNOWN to UP, the info entry names the provider, the meters count one exchange")
    void healthInfoAndMeters() {
        try (ConfigurableApplicationContext ctx = app.start(WebApplicationType.NONE)) {
            HealthIndicator health = (HealthIndicator) ctx.getBean(HealthContributorRegistry.class).getContributor("wif4j");
            assertThat(health.health().getStatus()).isEqualTo(Status.UNKNOWN);
            MeterRegistry registry = ctx.getBean(MeterRegistry.class);
            assertThat(registry.get(WorkloadIdentityMetrics.TOKEN_EXPIRY_REMAINING).tag("provider", "file").gauge()
                    .value()).isZero();

            ctx.getBean(ChatClient.Builder.class).build().prompt().user("Hello").call().content();

            assertThat(health.health().getStatus()).isEqualTo(Status.UP);
            assertThat(health.health().getDetails()).containsEntry("provider", "file")
                    .containsEntry("federationRuleId", app.ruleId).containsKey("tokenRemainingSeconds");
            Info.Builder info = new Info.Builder();
            ctx.getBean("wif4jInfoContributor", InfoContributor.class).contribute(info);
            @SuppressWarnings("unchecked")
            Map<String, Object> entry = (Map<String, Object>) info.build().get("wif4j");
            assertThat(entry).containsEntry("provider", "file")
                    .containsEntry("baseUrl", app.anthropic.baseUrl());
            assertThat(registry.get(WorkloadIdentityMetrics.TOKEN_EXCHANGE).tag("provider", "file")
                    .tag("outcome", "success").tag("error.type", "none").timer().count()).isEqualTo(1);
            assertThat(registry.get(WorkloadIdentityMetrics.IDENTITY_TOKEN_FETCH).tag("provider", "file")
                    .tag("outcome", "success").timer().count()).isEqualTo(1);
            assertThat(registry.get(WorkloadIdentityMetrics.TOKEN_REFRESH).tag("reason", "mandatory")
                    .tag("outcome", "success").counter().count()).isEqualTo(1);
            assertThat(registry.get(WorkloadIdentityMetrics.TOKEN_EXPIRY_REMAINING).tag("provider", "file").gauge()
                    .value()).isBetween(60.0, 3600.0);
        }
    }

    @Test
    @DisplayName("management.health.wif4j.enabled=false removes the indicator; no federation settings: nothing of wif4j")
    void switchedOff() {
        try (ConfigurableApplicationContext ctx = app.start(WebApplicationType.NONE, "management.health.wif4j.enabled=false")) {
            assertThat(ctx.containsBean("wif4jHealthIndicator")).isFalse();
            assertThat(ctx.containsBean("wif4jInfoContributor")).isTrue();
        }
        try (ConfigurableApplicationContext ctx = app.start(WebApplicationType.NONE, "wif4j.enabled=false",
                "spring.ai.anthropic.api-key=sk-ant-api03-key")) {
            assertThat(ctx.containsBean("wif4jHealthIndicator")).isFalse();
            assertThat(ctx.containsBean("wif4jRestClientCustomizer")).isFalse();
            assertThat(ctx.getBeanNamesForType(dev.wif4j.WorkloadIdentity.class)).isEmpty();
        }
    }
}
