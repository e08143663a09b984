package dev.wif4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wif4j.WorkloadIdentity;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The wif4j info contributor shows the provider and the detection report, never a token, without an exchange. */
class WorkloadIdentityInfoContributorTest {
    private final Fixture fx = new Fixture();
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(WorkloadIdentityAutoConfiguration.class,
                    WorkloadIdentityInfoAutoConfiguration.class))
            .withBean(WorkloadIdentityBuilderCustomizer.class, fx::inFakeWorld)
            .withPropertyValues(fx.properties());

    @AfterEach
    void stop() {
        fx.close();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> wif4j(InfoContributor contributor) {
        Info.Builder builder = new Info.Builder();
        contributor.contribute(builder);
        return (Map<String, Object>) builder.build().getDetails().get("wif4j");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> row(Object row) {
        return (Map<String, Object>) row;
    }

    @Test
    @DisplayName("the chosen provider, the settings and every provider's detection line; no exchange")
    void providerAndDetectionReport() {
        runner.run(ctx -> {
            Map<String, Object> info = wif4j(ctx.getBean("wif4jInfoContributor", InfoContributor.class));
            assertThat(info).containsEntry("provider", "file").containsEntry("federationRuleId", fx.ruleId)
                    .containsEntry("baseUrl", fx.anthropic.baseUrl());
            List<?> detection = (List<?>) info.get("detection");
            WorkloadIdentity identity = ctx.getBean(WorkloadIdentity.class);
            assertThat(detection).hasSize(identity.detection().entries().size());
            assertThat(detection).anySatisfy(row -> assertThat(row(row))
                    .containsEntry("provider", "file").containsEntry("status", "chosen"));
            assertThat(fx.anthropic.exchangeRequests()).as("info never exchanges").isZero();
        });
    }

    @Test
    @DisplayName("an identity token given as a setting never appears in the info")
    void noSecret() {
        String jwt = fx.idp.mint().sign();
        runner.withPropertyValues("wif4j.provider=literal", "wif4j.settings.literal.value=" + jwt).run(ctx -> {
            WorkloadIdentity identity = ctx.getBean(WorkloadIdentity.class);
            assertThat(identity.providerId()).isEqualTo("literal");
            Map<String, Object> info = wif4j(ctx.getBean("wif4jInfoContributor", InfoContributor.class));
            assertThat(info).containsEntry("provider", "literal");
            String shown = info.toString();
            assertThat(shown).doesNotContain(jwt).doesNotContain(jwt.substring(jwt.lastIndexOf('.') + 1));
            identity.credentials().token();
            assertThat(wif4j(ctx.getBean("wif4jInfoContributor", InfoContributor.class)).toString())
                    .doesNotContain("sk-ant-oat01-").doesNotContain(jwt);
        });
    }

    @Test
    @DisplayName("management.info.wif4j.enabled=false removes it")
    void canBeTurnedOff() {
        runner.withPropertyValues("management.info.wif4j.enabled=false")
                .run(ctx -> assertThat(ctx).doesNotHaveBean("wif4jInfoContributor"));
    }

    @Test
    @DisplayName("without Actuator on the class path: no contributor, and the identity still works")
    void withoutActuator() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate")).run(ctx -> {
            assertThat(ctx).hasNotFailed().hasSingleBean(WorkloadIdentity.class);
            assertThat(ctx).doesNotHaveBean("wif4jInfoContributor");
        });
    }

    @Test
    @DisplayName("an application's own WorkloadIdentity is the one described, without an identity-token fetch")
    void userIdentity() {
        AtomicInteger fetches = new AtomicInteger();
        WorkloadIdentity mine = WorkloadIdentity.builder().context(fx.world).federationRuleId(fx.ruleId)
                .organizationId(fx.anthropic.organizationId()).baseUrl(fx.anthropic.baseUrl())
                .identityTokenSupplier(() -> {
                    fetches.incrementAndGet();
                    return fx.idp.mint().sign();
                }).build();
        runner.withBean("mine", WorkloadIdentity.class, () -> mine).run(ctx -> {
            Map<String, Object> info = wif4j(ctx.getBean("wif4jInfoContributor", InfoContributor.class));
            assertThat(info).containsEntry("provider", "code");
            assertThat((List<?>) info.get("detection")).singleElement()
                    .satisfies(row -> assertThat(row(row)).containsEntry("status", "chosen"));
            assertThat(fetches).hasValue(0);
        });
    }
}
