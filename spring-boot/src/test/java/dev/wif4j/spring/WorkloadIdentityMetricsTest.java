package dev.wif4j.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wif4j.AccessToken;
import dev.wif4j.TokenExchangeException;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.WorkloadIdentityListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The Micrometer meters: present with a registry, absent (and harmless) without Micrometer or a registry. */
class WorkloadIdentityMetricsTest {
    private final Fixture fx = new Fixture();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(WorkloadIdentityAutoConfiguration.class,
                    WorkloadIdentityMetricsAutoConfiguration.class))
            .withBean(WorkloadIdentityBuilderCustomizer.class, fx::inFakeWorld)
            .withPropertyValues(fx.properties());

    @AfterEach
    void stop() {
        fx.close();
    }

    private static Timer exchangeTimer(MeterRegistry registry, String outcome, String errorType) {
        return registry.find(WorkloadIdentityMetrics.TOKEN_EXCHANGE).tag("provider", "file").tag("outcome", outcome)
                .tag("error.type", errorType).timer();
    }

    private static double refreshes(MeterRegistry registry, String reason, String outcome) {
        Counter counter = registry.find(WorkloadIdentityMetrics.TOKEN_REFRESH).tag("reason", reason)
                .tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    private static double remaining(MeterRegistry registry, String provider) {
        return registry.get(WorkloadIdentityMetrics.TOKEN_EXPIRY_REMAINING).tag("provider", provider).gauge().value();
    }

    @Test
    @DisplayName("with a MeterRegistry bean: the exchange and fetch timers, the refresh counter and the expiry gauge")
    void metersWithARegistry() {
        runner.withBean(MeterRegistry.class, () -> registry).run(ctx -> {
            assertThat(remaining(registry, "file")).as("no token cached yet").isZero();
            assertThat(fx.anthropic.exchangeRequests()).as("reading the gauge never exchanges").isZero();

            WorkloadIdentity identity = ctx.getBean(WorkloadIdentity.class);
            identity.credentials().token();
            identity.credentials().token();

            assertThat(exchangeTimer(registry, "success", "none").count()).isEqualTo(1);
            assertThat(registry.get(WorkloadIdentityMetrics.IDENTITY_TOKEN_FETCH).tag("provider", "file")
                    .tag("outcome", "success").timer().count()).isEqualTo(1);
            assertThat(refreshes(registry, "mandatory", "success")).isEqualTo(1);
            assertThat(remaining(registry, "file")).isBetween(60.0, 3600.0);
            assertThat(fx.anthropic.exchangeRequests()).isEqualTo(1);
        });
    }

    @Test
    @DisplayName("a forced refresh and a 401 are counted under their reasons")
    void refreshReasons() {
        runner.withBean(MeterRegistry.class, () -> registry).run(ctx -> {
            WorkloadIdentity identity = ctx.getBean(WorkloadIdentity.class);
            AccessToken first = identity.credentials().token();
            fx.rotateToken();
            identity.credentials().invalidate(first);
            identity.credentials().token();
            fx.rotateToken();
            identity.credentials().invalidate();
            identity.credentials().token();
            assertThat(refreshes(registry, "unauthorized", "success")).isEqualTo(1);
            assertThat(refreshes(registry, "forced", "success")).isEqualTo(1);
            assertThat(exchangeTimer(registry, "success", "none").count()).isEqualTo(3);
        });
    }

    @Test
    @DisplayName("a refused exchange: the timer's failure series with the API's error type, and a failed refresh")
    void failedExchange() {
        fx.world.writeFile(Fixture.TOKEN_FILE, fx.idp.mint().subject("someone-else").sign());
        runner.withBean(MeterRegistry.class, () -> registry).run(ctx -> {
            WorkloadIdentity identity = ctx.getBean(WorkloadIdentity.class);
            assertThatThrownBy(() -> identity.credentials().token()).isInstanceOf(RuntimeException.class);
            Timer failed = registry.get(WorkloadIdentityMetrics.TOKEN_EXCHANGE).tag("outcome", "failure").timer();
            assertThat(failed.count()).isEqualTo(1);
            assertThat(failed.getId().getTag("error.type")).isEqualTo("authentication_error");
            assertThat(exchangeTimer(registry, "success", "none")).isNull();
            assertThat(refreshes(registry, "mandatory", "failure")).isEqualTo(1);
            assertThat(remaining(registry, "file")).isZero();
        });
    }

    @Test
    @DisplayName("10,000 distinct error answers from a server make a few error.type tag values, not 10,000")
    void errorTypeTagsStayFew() {
        WorkloadIdentityMetrics metrics = new WorkloadIdentityMetrics(registry);
        for (int i = 0; i < 10_000; i++) {
            // What a hostile or broken token endpoint can vary: its error word and its status.
            String type = switch (i % 4) {
                case 0 -> "error_" + i;
                case 1 -> "invalid_grant";
                case 2 -> null;
                default -> "Weird Text " + i;
            };
            int status = 100 + i % 900;
            metrics.tokenExchanged(new WorkloadIdentityListener.TokenExchange("file", Duration.ofMillis(1), 1,
                    Optional.empty(), Optional.of(new TokenExchangeException("refused", status, null, type, null, null,
                    null))));
        }
        Set<String> tags = registry.find(WorkloadIdentityMetrics.TOKEN_EXCHANGE).timers().stream()
                .map(t -> t.getId().getTag("error.type")).collect(Collectors.toSet());
        assertThat(tags).contains("invalid_grant", "http_404", "http_503", "http_4xx", "http_5xx", "other");
        assertThat(tags).allMatch(t -> t.matches("invalid_grant|http_\\d(\\d\\d|xx)|other"), tags.toString());
        assertThat(tags.size()).as(tags.toString()).isLessThanOrEqualTo(30);
    }

    @Test
    @DisplayName("with Spring Boot's own metrics auto-configuration the meters land in its registry")
    void withBootsMetricsAutoConfiguration() {
        runner.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class))
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    MeterRegistry boots = ctx.getBean(MeterRegistry.class);
                    ctx.getBean(WorkloadIdentity.class).credentials().token();
                    assertThat(exchangeTimer(boots, "success", "none").count()).isEqualTo(1);
                    assertThat(remaining(boots, "file")).isPositive();
                });
    }

    @Test
    @DisplayName("an application's own WorkloadIdentity still gets the expiry gauge")
    void userIdentityGetsTheGauge() {
        WorkloadIdentity mine = WorkloadIdentity.builder().context(fx.world).federationRuleId(fx.ruleId)
                .organizationId(fx.anthropic.organizationId()).baseUrl(fx.anthropic.baseUrl())
                .identityTokenSupplier(() -> fx.idp.mint().sign()).build();
        runner.withBean(MeterRegistry.class, () -> registry).withBean("mine", WorkloadIdentity.class, () -> mine)
                .run(ctx -> {
                    assertThat(ctx).getBean(WorkloadIdentity.class).isSameAs(mine);
                    assertThat(remaining(registry, "code")).isZero();
                    mine.credentials().token();
                    assertThat(remaining(registry, "code")).isBetween(60.0, 3600.0);
                });
    }

    @Test
    @DisplayName("the gauge leaves a registry that outlives the context")
    void gaugeRemovedWithTheContext() {
        runner.withBean(MeterRegistry.class, () -> registry)
                .run(ctx -> assertThat(registry.find(WorkloadIdentityMetrics.TOKEN_EXPIRY_REMAINING).gauge()).isNotNull());
        Gauge left = registry.find(WorkloadIdentityMetrics.TOKEN_EXPIRY_REMAINING).gauge();
        assertThat(left).isNull();
    }

    @Test
    @DisplayName("Micrometer present but no MeterRegistry bean: no meters, no listener")
    void noRegistryNoMeters() {
        runner.run(ctx -> {
            assertThat(ctx).hasNotFailed().hasSingleBean(WorkloadIdentity.class);
            assertThat(ctx).doesNotHaveBean(WorkloadIdentityMetricsAutoConfiguration.class);
            assertThat(ctx).doesNotHaveBean("wif4jMetricsBuilderCustomizer");
        });
    }

    @Test
    @DisplayName("without Micrometer on the class path the starter works and defines no meters")
    void withoutMicrometer() {
        runner.withClassLoader(new FilteredClassLoader("io.micrometer")).run(ctx -> {
            assertThat(ctx).hasNotFailed();
            assertThat(ctx).doesNotHaveBean(WorkloadIdentityMetricsAutoConfiguration.class);
            assertThat(ctx.getBean(WorkloadIdentity.class).credentials().token().value()).startsWith("sk-ant-oat01-");
        });
    }

    @Test
    @DisplayName("no federation settings: no meters either, so an API-key application sees nothing of wif4j")
    void noFederationNoMeters() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(WorkloadIdentityAutoConfiguration.class,
                        WorkloadIdentityMetricsAutoConfiguration.class))
                .withBean(MeterRegistry.class, () -> registry)
                .run(ctx -> {
                    assertThat(ctx).doesNotHaveBean(WorkloadIdentity.class);
                    assertThat(ctx).doesNotHaveBean("wif4jTokenExpiryGauge");
                    assertThat(registry.getMeters()).isEmpty();
                });
    }
}
