package dev.wif4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.MessageCreateParams;
import dev.wif4j.ConfigurationException;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.RecordedRequest;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.ai.anthropic.http.okhttp.AnthropicHttpClientBuilderCustomizer;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Every condition of the starter, with Spring Boot's ApplicationContextRunner and the emulators on 127.0.0.1. */
@ExtendWith(OutputCaptureExtension.class)
class WorkloadIdentityAutoConfigurationTest {
    private static final String KEY_WARNING = "spring.ai.anthropic.api-key is set, but workload identity federation";
    private static final MessageCreateParams HELLO = MessageCreateParams.builder()
            .model("claude-sonnet-4-5").maxTokens(64).addUserMessage("Hello").build();

    private final Fixture fx = new Fixture();
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(WorkloadIdentityAutoConfiguration.class,
                    SpringAiAnthropicAutoConfiguration.class, AnthropicClientAutoConfiguration.class,
                    WorkloadIdentityHealthAutoConfiguration.class))
            .withBean(WorkloadIdentityBuilderCustomizer.class, fx::inFakeWorld);

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    @DisplayName("with no federation settings anywhere the starter configures nothing, so an API key keeps working")
    void noFederationConfiguresNothing() {
        runner.withPropertyValues("spring.ai.anthropic.api-key=sk-ant-api03-still-works").run(ctx -> {
            assertThat(ctx).hasNotFailed();
            assertThat(ctx).doesNotHaveBean(WorkloadIdentity.class);
            assertThat(ctx).doesNotHaveBean(AnthropicHttpClientBuilderCustomizer.class);
            assertThat(ctx).doesNotHaveBean(HealthIndicator.class);
        });
        assertThat(fx.anthropic.exchangeRequests()).isZero();
    }

    @Test
    @DisplayName("wif4j.* properties configure one WorkloadIdentity, without an exchange at start-up")
    void propertiesConfigureTheIdentity() {
        runner.withPropertyValues(fx.properties()).run(ctx -> {
            WorkloadIdentity identity = ctx.getBean(WorkloadIdentity.class);
            assertThat(identity.providerId()).isEqualTo("file");
            assertThat(identity.settings().federationRuleId()).isEqualTo(fx.ruleId);
            assertThat(identity.settings().baseUrl().toString()).isEqualTo(fx.anthropic.baseUrl());
            assertThat(fx.anthropic.exchangeRequests()).isZero();
            assertThat(identity.credentials().token().value()).startsWith("sk-ant-oat01-");
        });
    }

    @Test
    @DisplayName("the federation variables alone configure it, read by core as fromEnvironment() reads them")
    void environmentFallback() {
        try (Fixture envFx = new Fixture(FakeDetectionContext.builder())) {
            FakeDetectionContext world = FakeDetectionContext.builder()
                    .env("ANTHROPIC_FEDERATION_RULE_ID", envFx.ruleId)
                    .env("ANTHROPIC_ORGANIZATION_ID", envFx.anthropic.organizationId())
                    .env("ANTHROPIC_BASE_URL", envFx.anthropic.baseUrl())
                    .env("ANTHROPIC_IDENTITY_TOKEN_FILE", Fixture.TOKEN_FILE)
                    .file(Fixture.TOKEN_FILE, envFx.idp.mint().sign())
                    .build();
            try (world) {
                new ApplicationContextRunner()
                        .withConfiguration(AutoConfigurations.of(WorkloadIdentityAutoConfiguration.class))
                        .withBean(WorkloadIdentityBuilderCustomizer.class, () -> b -> b.context(world))
                        // Spring sees the process environment as properties; the condition reads it there.
                        .withPropertyValues("ANTHROPIC_FEDERATION_RULE_ID=" + envFx.ruleId)
                        .run(ctx -> {
                            WorkloadIdentity identity = ctx.getBean(WorkloadIdentity.class);
                            assertThat(identity.settings().source()).isEqualTo("environment");
                            assertThat(identity.providerId()).isEqualTo("file");
                            assertThat(identity.credentials().token().value()).startsWith("sk-ant-oat01-");
                        });
            }
        }
    }

    @Test
    @DisplayName("wif4j.enabled=false turns it off even with a rule set")
    void disabled() {
        runner.withPropertyValues(fx.properties()).withPropertyValues("wif4j.enabled=false")
                .run(ctx -> assertThat(ctx).doesNotHaveBean(WorkloadIdentity.class));
    }

    @Test
    @DisplayName("incomplete settings fail at start-up with core's message")
    void missingSettingsFailAtStartUp() {
        runner.withPropertyValues("wif4j.enabled=true").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).rootCause().isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("ANTHROPIC_FEDERATION_RULE_ID")
                    .hasMessageContaining("ANTHROPIC_ORGANIZATION_ID");
        });
    }

    @Test
    @DisplayName("wif4j.allowed-origins widens the token scope; a bad origin fails at start-up naming the property")
    void allowedOriginsProperty() {
        runner.withPropertyValues(fx.properties())
                .withPropertyValues("wif4j.allowed-origins=https://gateway.example.com:8443, http://localhost:9")
                .run(ctx -> assertThat(ctx.getBean(WorkloadIdentity.class).tokenScope().origins()).containsExactly(
                        fx.anthropic.baseUrl(), "https://gateway.example.com:8443", "http://localhost:9"));
        runner.withPropertyValues(fx.properties())
                .withPropertyValues("wif4j.allowed-origins=https://fine.example,http://gateway.example:18090")
                .run(ctx -> {
                    assertThat(ctx).hasFailed();
                    assertThat(ctx.getStartupFailure()).rootCause().isInstanceOf(ConfigurationException.class)
                            .hasMessageStartingWith("The allowed origin http://gateway.example:18090 in "
                                    + "wif4j.allowed-origins is not allowed: it is http:// to gateway.example");
                });
    }

    @Test
    @DisplayName("an application's own WorkloadIdentity wins and is the one wired in")
    void userIdentityWins() {
        WorkloadIdentity mine = WorkloadIdentity.builder().context(fx.world).federationRuleId(fx.ruleId)
                .organizationId(fx.anthropic.organizationId()).baseUrl(fx.anthropic.baseUrl())
                .identityTokenSupplier(() -> fx.idp.mint().sign()).build();
        runner.withPropertyValues(fx.properties()).withBean("mine", WorkloadIdentity.class, () -> mine).run(ctx -> {
            assertThat(ctx).getBean(WorkloadIdentity.class).isSameAs(mine);
            assertThat(ctx).hasSingleBean(AnthropicHttpClientBuilderCustomizer.class);
        });
    }

    @Test
    @DisplayName("with Spring AI present: its customizer, and no AnthropicClient bean of ours")
    void springAiPresent() {
        runner.withPropertyValues(fx.properties()).run(ctx -> {
            assertThat(ctx).hasSingleBean(AnthropicHttpClientBuilderCustomizer.class);
            assertThat(ctx).doesNotHaveBean(AnthropicClient.class);
        });
    }

    @Test
    @DisplayName("without Spring AI: an AnthropicClient that sends the bearer token and no x-api-key")
    void officialClientWithoutSpringAi() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.ai")).withPropertyValues(fx.properties())
                .run(ctx -> {
                    assertThat(ctx).doesNotHaveBean(AnthropicHttpClientBuilderCustomizer.class);
                    AnthropicClient client = ctx.getBean(AnthropicClient.class);
                    String text = client.messages().create(HELLO).content().get(0).asText().text();
                    assertThat(text).isEqualTo("Hello from the Anthropic emulator.");
                    List<RecordedRequest> sent = fx.anthropic.messageRequests();
                    RecordedRequest last = sent.get(sent.size() - 1);
                    assertThat(last.header("Authorization").orElseThrow()).startsWith("Bearer sk-ant-oat01-");
                    assertThat(last.header("anthropic-beta").orElseThrow()).contains("oauth-2025-04-20");
                    assertThat(last.headers()).doesNotContainKey("x-api-key");
                });
    }

    @Test
    @DisplayName("an application's own AnthropicClient wins")
    void userClientWins() {
        AnthropicClient mine = AnthropicOkHttpClient.builder().baseUrl(fx.anthropic.baseUrl()).apiKey("x").build();
        runner.withClassLoader(new FilteredClassLoader("org.springframework.ai")).withPropertyValues(fx.properties())
                .withBean("mine", AnthropicClient.class, () -> mine)
                .run(ctx -> assertThat(ctx).getBean(AnthropicClient.class).isSameAs(mine));
        mine.close();
    }

    @Test
    @DisplayName("an API key beside federation: one warning that it is ignored, never the key itself")
    void apiKeyBesideFederationWarnsOnce(CapturedOutput output) {
        runner.withPropertyValues(fx.properties())
                .withPropertyValues("spring.ai.anthropic.api-key=sk-ant-api03-secret-key")
                .run(ctx -> assertThat(ctx).hasSingleBean(WorkloadIdentity.class));
        assertThat(output.getAll().split(KEY_WARNING, -1)).hasSize(2);
        assertThat(output.getAll()).doesNotContain("sk-ant-api03-secret-key");
    }

    @Test
    @DisplayName("ANTHROPIC_API_KEY beside federation: core's one warning, not a second from the starter")
    void apiKeyVariableIsWarnedAboutOnlyOnce(CapturedOutput output) {
        try (FakeDetectionContext keyed = FakeDetectionContext.builder().env("ANTHROPIC_API_KEY", "sk-ant-api03-x")
                .file(Fixture.TOKEN_FILE, fx.idp.mint().sign()).build()) {
            new ApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(WorkloadIdentityAutoConfiguration.class))
                    .withBean(WorkloadIdentityBuilderCustomizer.class, () -> b -> b.context(keyed))
                    .withPropertyValues(fx.properties())
                    .withPropertyValues("ANTHROPIC_API_KEY=sk-ant-api03-x", "spring.ai.anthropic.api-key=sk-ant-api03-x")
                    .run(ctx -> assertThat(ctx).hasSingleBean(WorkloadIdentity.class));
            assertThat(keyed.logLines()).filteredOn(l -> l.startsWith("WARNING")).hasSize(1)
                    .allMatch(l -> l.contains("ANTHROPIC_API_KEY is set"));
            assertThat(output.getAll()).doesNotContain(KEY_WARNING);
        }
    }
}
