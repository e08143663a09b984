package dev.wif4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wif4j.testkit.RecordedRequest;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A Spring Boot application with Spring AI's Anthropic starter and wif4j's, no API key, against the emulators
 * on 127.0.0.1: ChatClient calls carry a federated bearer token.
 */
@SpringBootTest(classes = SpringAiEndToEndTest.App.class)
class SpringAiEndToEndTest {
    static final Fixture FX = new Fixture();

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
        @Bean
        WorkloadIdentityBuilderCustomizer fakeWorld() {
            return FX.inFakeWorld();
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        for (String property : FX.properties()) {
            int eq = property.indexOf('=');
            registry.add(property.substring(0, eq), () -> property.substring(eq + 1));
        }
        registry.add("spring.ai.anthropic.base-url", FX.anthropic::baseUrl);
        registry.add("spring.ai.anthropic.api-key", () -> "");
        registry.add("spring.ai.anthropic.max-retries", () -> "0");
    }

    @AfterAll
    static void stop() {
        FX.close();
    }

    @Autowired
    ChatClient.Builder chat;

    @Autowired
    HealthIndicator wif4jHealthIndicator;

    private int exchangesBefore;

    @BeforeEach
    void count() {
        exchangesBefore = FX.anthropic.tokensIssued();
    }

    private static RecordedRequest lastMessageRequest() {
        List<RecordedRequest> requests = FX.anthropic.messageRequests();
        return requests.get(requests.size() - 1);
    }

    private String ask() {
        return chat.build().prompt().user("Hello").call().content();
    }

    @Test
    @DisplayName("ChatClient calls carry the bearer token and the OAuth beta, no x-api-key; one exchange for many calls")
    void chatClientUsesFederatedToken() {
        for (int i = 0; i < 3; i++) {
            assertThat(ask()).isEqualTo("Hello from the Anthropic emulator.");
        }
        RecordedRequest sent = lastMessageRequest();
        assertThat(sent.header("Authorization").orElseThrow()).startsWith("Bearer sk-ant-oat01-");
        assertThat(sent.header("anthropic-beta").orElseThrow().split(",")).containsOnlyOnce("oauth-2025-04-20");
        assertThat(sent.headers()).doesNotContainKey("x-api-key");
        assertThat(FX.anthropic.tokensIssued() - exchangesBefore).isLessThanOrEqualTo(1);
        assertThat(wif4jHealthIndicator.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    @DisplayName("streaming goes through Spring AI's async client, authorised the same way")
    void streamingUsesFederatedToken() {
        String text = chat.build().prompt().user("Hello").stream().content().collect(Collectors.joining()).block();
        assertThat(text).isEqualTo("Hello from the Anthropic emulator.");
        assertThat(lastMessageRequest().header("Authorization").orElseThrow()).startsWith("Bearer sk-ant-oat01-");
    }

    @Test
    @DisplayName("a revoked token: one 401, one refresh, one replay, and the call succeeds")
    void revokedTokenIsRefreshedAndReplayedOnce() {
        ask();
        int calls = FX.anthropic.messagesRequests();
        int issued = FX.anthropic.tokensIssued();
        FX.rotateToken(); // identity tokens are single-use; the kubelet has written a new one
        FX.anthropic.revokeAll();
        assertThat(ask()).isEqualTo("Hello from the Anthropic emulator.");
        assertThat(FX.anthropic.tokensIssued() - issued).isEqualTo(1);
        assertThat(FX.anthropic.messagesRequests() - calls).as("the 401 and its single replay").isEqualTo(2);
    }
}
