package dev.wif4j.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wif4j.WorkloadIdentity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The wif4j health indicator reports the token cache and never exchanges. */
class WorkloadIdentityHealthIndicatorTest {
    private final Fixture fx = new Fixture();
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(WorkloadIdentityAutoConfiguration.class,
                    WorkloadIdentityHealthAutoConfiguration.class))
            .withBean(WorkloadIdentityBuilderCustomizer.class, fx::inFakeWorld)
            .withPropertyValues(fx.properties());

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    @DisplayName("UNKNOWN before the first request, then UP with the remaining lifetime and the provider; no exchange of its own")
    void upWithoutAnExchange() {
        runner.run(ctx -> {
            HealthIndicator health = ctx.getBean("wif4jHealthIndicator", HealthIndicator.class);
            assertThat(health.health().getStatus()).isEqualTo(Status.UNKNOWN);
            assertThat(fx.anthropic.exchangeRequests()).as("health never exchanges").isZero();
            ctx.getBean(WorkloadIdentity.class).credentials().token();
            Health up = health.health();
            assertThat(up.getStatus()).isEqualTo(Status.UP);
            assertThat(up.getDetails()).containsEntry("provider", "file").containsKey("tokenRemainingSeconds");
            assertThat((Long) up.getDetails().get("tokenRemainingSeconds")).isBetween(60L, 3600L);
            health.health();
            assertThat(fx.anthropic.exchangeRequests()).isEqualTo(1);
            assertThat(up.toString()).doesNotContain("sk-ant-oat01-");
        });
    }

    @Test
    @DisplayName("DOWN with the failure's message, without a secret, when no token could be obtained")
    void downAfterAFailedExchange() {
        String refused = fx.idp.mint().subject("someone-else").sign();
        fx.world.writeFile(Fixture.TOKEN_FILE, refused);
        runner.run(ctx -> {
            WorkloadIdentity identity = ctx.getBean(WorkloadIdentity.class);
            assertThatThrownBy(() -> identity.credentials().token()).isInstanceOf(RuntimeException.class);
            int exchanges = fx.anthropic.exchangeRequests();
            Health down = ctx.getBean("wif4jHealthIndicator", HealthIndicator.class).health();
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat(String.valueOf(down.getDetails().get("lastFailure"))).isNotBlank();
            assertThat(down.toString()).doesNotContain(refused);
            assertThat(fx.anthropic.exchangeRequests()).as("health never exchanges").isEqualTo(exchanges);
        });
    }

    @Test
    @DisplayName("management.health.wif4j.enabled=false removes it")
    void canBeTurnedOff() {
        runner.withPropertyValues("management.health.wif4j.enabled=false")
                .run(ctx -> assertThat(ctx).doesNotHaveBean("wif4jHealthIndicator"));
    }
}
