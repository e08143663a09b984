package dev.wif4j.spring.boot3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wif4j.testkit.AnthropicEmulator;
import dev.wif4j.testkit.RecordedRequest;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/** Spring AI 1.1's ChatClient on Spring Boot 3, blocking and streaming, with no API key: every call carries the bearer. */
@ExtendWith(OutputCaptureExtension.class)
class SpringAiBoot3EndToEndTest {
    private static final String ANSWER = "Hello from the Anthropic emulator.";
    private static final String HELLO = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":8,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    private final Boot3Application app = new Boot3Application();

    @AfterEach
    void stop() {
        app.close();
    }

    private static String ask(ConfigurableApplicationContext ctx) {
        return ctx.getBean(ChatClient.Builder.class).build().prompt().user("Hello").call().content();
    }

    private static String stream(ConfigurableApplicationContext ctx) {
        return ctx.getBean(ChatClient.Builder.class).build().prompt().user("Hello").stream().content()
                .collect(Collectors.joining()).block();
    }

    private static void assertAuthorised(List<RecordedRequest> calls) {
        assertThat(calls).allSatisfy(call -> {
            assertThat(call.header("Authorization").orElseThrow()).startsWith("Bearer sk-ant-oat01-");
            assertThat(call.header("anthropic-beta").orElseThrow().split(",")).containsOnlyOnce("oauth-2025-04-20");
            assertThat(call.headers()).doesNotContainKey("x-api-key");
        });
    }

    @ParameterizedTest
    @EnumSource(value = WebApplicationType.class, names = {"NONE", "REACTIVE"})
    @DisplayName("two blocking ChatClient calls: two API requests with the bearer and the beta, no x-api-key, one exchange")
    void blockingCalls(WebApplicationType type) {
        try (ConfigurableApplicationContext ctx = app.start(type)) {
            assertThat(ask(ctx)).isEqualTo(ANSWER);
            assertThat(ask(ctx)).isEqualTo(ANSWER);
        }
        List<RecordedRequest> calls = app.anthropic.messageRequests();
        assertThat(calls).hasSize(2);
        assertAuthorised(calls);
        // Spring AI's own betas stay, in their order, and the OAuth one comes last.
        assertThat(calls.get(0).header("anthropic-beta").orElseThrow()).startsWith("tools-2024-04-04,")
                .endsWith(",oauth-2025-04-20");
        assertThat(app.anthropic.exchangeRequests()).isEqualTo(1);
    }

    @Test
    @DisplayName("an API key in the properties is never sent")
    void apiKeyIsNotSent() {
        try (ConfigurableApplicationContext ctx = app.start(WebApplicationType.NONE,
                "spring.ai.anthropic.api-key=sk-ant-api03-unused")) {
            assertThat(ask(ctx)).isEqualTo(ANSWER);
            assertThat(stream(ctx)).isEqualTo(ANSWER);
        }
        assertAuthorised(app.anthropic.messageRequests());
    }

    @ParameterizedTest
    @EnumSource(value = WebApplicationType.class, names = {"NONE", "REACTIVE"})
    @DisplayName("a streamed call goes through the WebClient, authorised the same way, and completes")
    void streamedCall(WebApplicationType type) {
        try (ConfigurableApplicationContext ctx = app.start(type)) {
            assertThat(stream(ctx)).isEqualTo(ANSWER);
            assertThat(ask(ctx)).isEqualTo(ANSWER);
        }
        List<RecordedRequest> calls = app.anthropic.messageRequests();
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0).body()).contains("\"stream\":true");
        assertAuthorised(calls);
        assertThat(app.anthropic.exchangeRequests()).isEqualTo(1);
    }

    @Test
    @DisplayName("a revoked token: one 401, one new exchange, exactly one replay, and the blocking call succeeds")
    void revokedTokenIsReplayedOnce() {
        try (ConfigurableApplicationContext ctx = app.start(WebApplicationType.NONE)) {
            ask(ctx);
            app.rotateToken();
            app.anthropic.revokeAll();
            assertThat(ask(ctx)).isEqualTo(ANSWER);
        }
        assertThat(app.anthropic.messagesRequests()).as("the call, the 401 and its single replay").isEqualTo(3);
        assertThat(app.anthropic.exchangeRequests()).isEqualTo(2);
        assertAuthorised(app.anthropic.messageRequests());
    }

    @Test
    @DisplayName("a revoked token while streaming: one new exchange, one replay, and the stream completes")
    void revokedTokenIsReplayedOnceWhileStreaming() {
        try (ConfigurableApplicationContext ctx = app.start(WebApplicationType.NONE)) {
            stream(ctx);
            app.rotateToken();
            app.anthropic.revokeAll();
            assertThat(stream(ctx)).isEqualTo(ANSWER);
        }
        assertThat(app.anthropic.messagesRequests()).isEqualTo(3);
        assertThat(app.anthropic.exchangeRequests()).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(value = WebApplicationType.class, names = {"NONE", "REACTIVE"})
    @DisplayName("the application's own RestClient and WebClient, from the same builders, to another host: no token, no exchange")
    void otherHostGetsNoToken(WebApplicationType type) {
        try (AnthropicEmulator other = AnthropicEmulator.start();
                ConfigurableApplicationContext ctx = app.start(type)) {
            RestClient rest = ctx.getBean(RestClient.Builder.class).baseUrl(other.baseUrl()).build();
            WebClient web = ctx.getBean(WebClient.Builder.class).baseUrl(other.baseUrl()).build();
            String restStatus = rest.post().uri("/v1/messages").contentType(MediaType.APPLICATION_JSON)
                    .header("x-api-key", "the-other-hosts-own-key").body(HELLO).exchange(
                            (request, response) -> String.valueOf(response.getStatusCode().value()));
            String webStatus = web.post().uri("/v1/messages").contentType(MediaType.APPLICATION_JSON)
                    .header("x-api-key", "the-other-hosts-own-key").bodyValue(HELLO)
                    .exchangeToMono(response -> reactor.core.publisher.Mono.just(
                            String.valueOf(response.statusCode().value()))).block();
            assertThat(restStatus).isEqualTo("401");
            assertThat(webStatus).isEqualTo("401");
            List<RecordedRequest> seen = other.messageRequests();
            assertThat(seen).hasSize(2).allSatisfy(call -> {
                assertThat(call.header("Authorization")).isEmpty();
                assertThat(call.header("x-api-key")).contains("the-other-hosts-own-key");
            });
            assertThat(app.anthropic.exchangeRequests()).as("no token was fetched for them").isZero();
            assertThat(ask(ctx)).as("while Spring AI's calls are authorised").isEqualTo(ANSWER);
        }
        assertAuthorised(app.anthropic.messageRequests());
    }

    @Test
    @DisplayName("spring.ai.anthropic.base-url outside the token's scope: a warning at start-up names the origin and the setting")
    void baseUrlOutsideTheScopeWarns(CapturedOutput output) {
        try (ConfigurableApplicationContext ctx = app.start(WebApplicationType.NONE,
                "spring.ai.anthropic.base-url=https://gateway.example.com/anthropic")) {
            assertThat(ctx.isActive()).as("it still starts").isTrue();
            assertThat(output.getOut()).contains("spring.ai.anthropic.base-url is not where wif4j sends the federated "
                    + "token").contains("https://gateway.example.com:443").contains("wif4j.allowed-origins")
                    .doesNotContain("/anthropic:");
        }
        assertThat(app.anthropic.exchangeRequests()).isZero();
    }
}
