package com.acme.assistant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wif4j.spring.WorkloadIdentityBuilderCustomizer;
import dev.wif4j.spring.WorkloadIdentityMetrics;
import dev.wif4j.testkit.AnthropicEmulator;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.OidcIssuer;
import dev.wif4j.testkit.RecordedRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The service as it would run, on a random port of 127.0.0.1, against testkit's OIDC issuer and Anthropic
 * emulator: its {@code ChatClient} calls carry a federated token, and Actuator shows wif4j's health, info and
 * meters.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AssistantApplicationTest {
    private static final String TOKEN_FILE = "/var/run/secrets/anthropic.com/token";
    private static final String ANSWER = "Hello from the Anthropic emulator.";

    static final OidcIssuer IDP = OidcIssuer.start();
    static final AnthropicEmulator ANTHROPIC = AnthropicEmulator.start();
    static final String RULE = ANTHROPIC.trust(IDP, "system:serviceaccount:acme:assistant");
    // The deployment as the service would see it: a projected token file, and no other variable or file of this
    // machine's (no real ANTHROPIC_* variable or profile reaches the test).
    static final FakeDetectionContext WORLD = FakeDetectionContext.builder().build();

    static {
        rotateToken();
    }

    /** The test's one piece of code-only configuration: the fake deployment instead of the real environment. */
    @TestConfiguration(proxyBeanMethods = false)
    static class FakeDeployment {
        @Bean
        WorkloadIdentityBuilderCustomizer fakeDeployment() {
            return builder -> builder.context(WORLD);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("server.address", () -> "127.0.0.1");
        registry.add("wif4j.federation-rule-id", () -> RULE);
        registry.add("wif4j.organization-id", ANTHROPIC::organizationId);
        registry.add("wif4j.base-url", ANTHROPIC::baseUrl);
        registry.add("wif4j.provider", () -> "file");
        registry.add("wif4j.settings.file.path", () -> TOKEN_FILE);
        registry.add("spring.ai.anthropic.base-url", ANTHROPIC::baseUrl);
        registry.add("spring.ai.anthropic.max-retries", () -> "0");
    }

    @AfterAll
    static void stop() {
        WORLD.close();
        ANTHROPIC.close();
        IDP.close();
    }

    /** Identity tokens are single-use here; a kubelet writes a new one before the old one expires. */
    private static void rotateToken() {
        WORLD.writeFile(TOKEN_FILE, IDP.mint().subject("system:serviceaccount:acme:assistant").sign() + "\n");
    }

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String ask(String question) throws IOException, InterruptedException {
        HttpResponse<String> response = get("/ask?question=" + URLEncoder.encode(question, StandardCharsets.UTF_8));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    private static RecordedRequest lastMessageRequest() {
        List<RecordedRequest> requests = ANTHROPIC.messageRequests();
        return requests.get(requests.size() - 1);
    }

    private Map<String, Object> json(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JsonParserFactory.getJsonParser().parseMap(response.body());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> at(Map<String, Object> json, String... keys) {
        Map<String, Object> node = json;
        for (String key : keys) {
            assertThat(node).containsKey(key);
            node = (Map<String, Object>) node.get(key);
        }
        return node;
    }

    private double refreshes(String reason) {
        Counter counter = meters.find(WorkloadIdentityMetrics.TOKEN_REFRESH).tag("reason", reason)
                .tag("outcome", "success").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    @DisplayName("ChatClient calls carry a federated bearer token, never an API key; one exchange serves many calls")
    void chatClientCallsCarryAFederatedToken() throws Exception {
        assertThat(ask("What is workload identity federation?")).isEqualTo(ANSWER);
        int issued = ANTHROPIC.tokensIssued();
        for (int i = 0; i < 5; i++) {
            assertThat(ask("And question " + i + "?")).isEqualTo(ANSWER);
        }
        RecordedRequest sent = lastMessageRequest();
        assertThat(sent.header("Authorization").orElseThrow()).startsWith("Bearer sk-ant-oat01-");
        assertThat(sent.header("anthropic-beta").orElseThrow()).contains(AnthropicEmulator.OAUTH_BETA);
        assertThat(sent.headers()).doesNotContainKey("x-api-key");
        assertThat(ANTHROPIC.tokensIssued()).as("no exchange for the five later calls").isEqualTo(issued);
    }

    @Test
    @DisplayName("a revoked token: one 401, one refresh counted as unauthorized, one replay, and the answer")
    void revokedTokenIsRefreshedAndReplayedOnce() throws Exception {
        ask("Hello");
        int calls = ANTHROPIC.messagesRequests();
        int issued = ANTHROPIC.tokensIssued();
        double unauthorized = refreshes("unauthorized");
        rotateToken();
        ANTHROPIC.revokeAll();

        assertThat(ask("Hello again")).isEqualTo(ANSWER);
        assertThat(ANTHROPIC.tokensIssued() - issued).isEqualTo(1);
        assertThat(ANTHROPIC.messagesRequests() - calls).as("the 401 and its single replay").isEqualTo(2);
        assertThat(refreshes("unauthorized") - unauthorized).isEqualTo(1);
    }

    @Test
    @DisplayName("/actuator/health shows wif4j UP with the provider; the meters count every exchange")
    void healthAndMetricsShowTheExchange() throws Exception {
        ask("Hello");
        Map<String, Object> wif4j = at(json("/actuator/health"), "components", "wif4j");
        assertThat(wif4j).containsEntry("status", "UP");
        assertThat(at(wif4j, "details")).containsEntry("provider", "file").containsKey("tokenRemainingSeconds");

        Timer exchanges = meters.get(WorkloadIdentityMetrics.TOKEN_EXCHANGE).tag("provider", "file")
                .tag("outcome", "success").tag("error.type", "none").timer();
        assertThat(exchanges.count()).as("one timing per token the emulator issued").isEqualTo(ANTHROPIC.tokensIssued());
        assertThat(refreshes("mandatory")).as("the first token, which a request waited for").isGreaterThanOrEqualTo(1);
        assertThat(meters.get(WorkloadIdentityMetrics.TOKEN_EXPIRY_REMAINING).gauge().value()).isBetween(60.0, 3600.0);

        Map<String, Object> metric = json("/actuator/metrics/" + WorkloadIdentityMetrics.TOKEN_EXCHANGE);
        assertThat(metric).containsEntry("name", WorkloadIdentityMetrics.TOKEN_EXCHANGE);
        assertThat(json("/actuator/metrics").get("names").toString())
                .contains(WorkloadIdentityMetrics.IDENTITY_TOKEN_FETCH, WorkloadIdentityMetrics.TOKEN_REFRESH,
                        WorkloadIdentityMetrics.TOKEN_EXPIRY_REMAINING);
    }

    @Test
    @DisplayName("/actuator/info shows the provider and the detection report, and no token")
    void infoShowsTheProvider() throws Exception {
        ask("Hello");
        Map<String, Object> wif4j = at(json("/actuator/info"), "wif4j");
        assertThat(wif4j).containsEntry("provider", "file").containsEntry("federationRuleId", RULE);
        assertThat(wif4j.get("detection").toString()).contains("chosen");
        assertThat(get("/actuator/info").body()).doesNotContain("sk-ant-oat01-").doesNotContain("eyJ");
    }
}
