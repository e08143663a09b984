package dev.wif4j.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.WorkloadIdentityException;
import dev.wif4j.testkit.AnthropicEmulator;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.Fault;
import dev.wif4j.testkit.FaultyProxy;
import dev.wif4j.testkit.OidcIssuer;
import dev.wif4j.testkit.RecordedRequest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The real LangChain4j Anthropic models (the version the surefire execution puts on the class path), with
 * wif4j's HTTP client builder, against the Anthropic emulator on 127.0.0.1 over real HTTP.
 */
class WorkloadIdentityHttpClientBuilderTest {
    private static final String ANSWER = "Hello from the Anthropic emulator.";
    private static final String DENIED =
            "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"Invalid bearer token\"}}";

    private OidcIssuer idp;
    private AnthropicEmulator anthropic;
    private FakeDetectionContext world;
    private WorkloadIdentity identity;

    @BeforeEach
    void start() {
        idp = OidcIssuer.start();
        anthropic = AnthropicEmulator.start();
        world = FakeDetectionContext.empty();
        identity = WorkloadIdentity.builder().context(world)
                .federationRuleId(anthropic.trust(idp, "workload"))
                .organizationId(anthropic.organizationId())
                .baseUrl(anthropic.baseUrl())
                .identityTokenSupplier(() -> idp.mint().sign())
                .build();
    }

    @AfterEach
    void stop() {
        identity.close();
        world.close();
        anthropic.close();
        idp.close();
    }

    private ChatModel model(String baseUrl, HttpClientBuilder http) {
        return AnthropicChatModel.builder()
                .httpClientBuilder(http)
                .apiKey(WorkloadIdentityHttpClientBuilder.API_KEY_PLACEHOLDER)
                .baseUrl(baseUrl + "/v1")
                .modelName("claude-sonnet-4-5")
                .maxTokens(64)
                .beta("files-api-2025-04-14")
                .maxRetries(0)
                .build();
    }

    private ChatModel model() {
        return model(anthropic.baseUrl(), WorkloadIdentityHttpClientBuilder.of(identity));
    }

    private StreamingChatModel streamingModel(String baseUrl) {
        return AnthropicStreamingChatModel.builder()
                .httpClientBuilder(WorkloadIdentityHttpClientBuilder.of(identity))
                .apiKey(WorkloadIdentityHttpClientBuilder.API_KEY_PLACEHOLDER)
                .baseUrl(baseUrl + "/v1")
                .modelName("claude-sonnet-4-5")
                .maxTokens(64)
                .build();
    }

    /** The streamed answer, or the error the model's handler got. */
    private static CompletableFuture<String> stream(StreamingChatModel model, String question) {
        CompletableFuture<String> answer = new CompletableFuture<>();
        StringBuilder text = new StringBuilder();
        model.chat(question, new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                text.append(partial);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                answer.complete(text.toString());
            }

            @Override
            public void onError(Throwable error) {
                answer.completeExceptionally(error);
            }
        });
        return answer;
    }

    private static boolean chainHas(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static void assertNoSecret(String text) {
        assertFalse(text.contains("sk-ant-oat01-"), "no access token: " + text);
        assertFalse(text.contains("eyJ"), "no identity token: " + text);
    }

    @Test
    @DisplayName("two blocking calls: both carry the bearer and the OAuth beta beside the model's, none an x-api-key, one exchange")
    void twoBlockingCalls() {
        ChatModel model = model();
        assertEquals(ANSWER, model.chat("Hello"));
        assertEquals(ANSWER, model.chat("Hello again"));
        List<RecordedRequest> calls = anthropic.messageRequests();
        assertEquals(2, calls.size(), calls.toString());
        for (RecordedRequest call : calls) {
            assertTrue(call.header("Authorization").orElseThrow().startsWith("Bearer sk-ant-oat01-"), call.toString());
            assertEquals("files-api-2025-04-14,oauth-2025-04-20", call.header("anthropic-beta").orElseThrow());
            assertTrue(call.header("x-api-key").isEmpty(), call.headers().toString());
            assertFalse(call.headers().toString().contains(WorkloadIdentityHttpClientBuilder.API_KEY_PLACEHOLDER));
        }
        assertEquals(1, anthropic.exchangeRequests(), "one exchange serves both calls");
    }

    @Test
    @DisplayName("a streamed call carries the bearer and completes with the whole answer")
    void streamedCall() throws Exception {
        assertEquals(ANSWER, stream(streamingModel(anthropic.baseUrl()), "Hello").get(30, TimeUnit.SECONDS));
        RecordedRequest call = anthropic.messageRequests().get(0);
        assertTrue(call.body().contains("\"stream\":true") || call.body().contains("\"stream\" : true"), call.body());
        assertTrue(call.header("Authorization").orElseThrow().startsWith("Bearer sk-ant-oat01-"));
        assertEquals("oauth-2025-04-20", call.header("anthropic-beta").orElseThrow());
        assertTrue(call.header("x-api-key").isEmpty(), call.headers().toString());
    }

    @Test
    @DisplayName("a revoked token: the blocking call gets a 401, is replayed once with a new token, and succeeds")
    void revokedTokenIsReplayedOnce() {
        ChatModel model = model();
        model.chat("Hello");
        anthropic.revokeAll();
        assertEquals(ANSWER, model.chat("Hello again"));
        assertEquals(2, anthropic.exchangeRequests(), "one extra exchange after the 401");
        List<RecordedRequest> calls = anthropic.messageRequests();
        assertEquals(3, calls.size(), "the first call, the 401 and its single replay");
        assertEquals(calls.get(0).header("Authorization"), calls.get(1).header("Authorization"));
        assertNotEquals(calls.get(1).header("Authorization"), calls.get(2).header("Authorization"),
                "the replay carries the new token");
    }

    @Test
    @DisplayName("a second 401 in a row goes to the caller, without a secret in its message; no loop")
    void secondUnauthorizedGoesToTheCaller() {
        ChatModel model = model();
        anthropic.enqueueMessages(Fault.status(401, DENIED));
        anthropic.enqueueMessages(Fault.status(401, DENIED));
        RuntimeException e = assertThrows(RuntimeException.class, () -> model.chat("Hello"));
        assertEquals(2, anthropic.messagesRequests(), "one try and one replay, no more");
        assertEquals(2, anthropic.exchangeRequests(), "one token, then one new one");
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertNoSecret(String.valueOf(t.getMessage()));
        }
        assertEquals(ANSWER, model.chat("Hello"));
    }

    @Test
    @DisplayName("an API that refuses every token: three calls make one extra exchange, and replay only with a new token")
    void refusingApiCostsOneExchange() {
        ChatModel model = model();
        model.chat("Hello");
        for (int i = 0; i < 6; i++) {
            anthropic.enqueueMessages(Fault.status(401, DENIED));
        }
        for (int i = 0; i < 3; i++) {
            assertThrows(RuntimeException.class, () -> model.chat("Hello"));
        }
        assertEquals(2, anthropic.exchangeRequests(), "one exchange a minute for 401s");
        assertEquals(1 + 2 + 1 + 1, anthropic.messagesRequests());
    }

    @Test
    @DisplayName("a streamed call is not replayed after a 401, but the refused token is dropped: the next call has a new one")
    void streamedUnauthorizedDropsTheToken() throws Exception {
        StreamingChatModel model = streamingModel(anthropic.baseUrl());
        assertEquals(ANSWER, stream(model, "Hello").get(30, TimeUnit.SECONDS));
        anthropic.revokeAll();
        Exception e = assertThrows(Exception.class, () -> stream(model, "Hello").get(30, TimeUnit.SECONDS));
        assertNoSecret(String.valueOf(e.getMessage()));
        assertEquals(2, anthropic.messagesRequests(), "no replay of a stream");
        assertEquals(ANSWER, stream(model, "Hello again").get(30, TimeUnit.SECONDS));
        assertEquals(2, anthropic.exchangeRequests(), "the next call exchanged a new token");
    }

    @Test
    @DisplayName("a model pointed at another origin fails naming it: no token is fetched and nothing reaches it")
    void anotherOriginGetsNothing() {
        try (FaultyProxy gateway = FaultyProxy.to(anthropic.baseUrl())) {
            String origin = gateway.baseUrl();
            RuntimeException e = assertThrows(RuntimeException.class,
                    () -> model(origin, WorkloadIdentityHttpClientBuilder.of(identity)).chat("Hello"));
            assertTrue(chainHas(e, WorkloadIdentityException.class), String.valueOf(e));
            Throwable refusal = e;
            while (!(refusal instanceof WorkloadIdentityException)) {
                refusal = refusal.getCause();
            }
            assertTrue(refusal.getMessage().startsWith("wif4j did not send a request to " + origin), refusal.getMessage());
            assertTrue(refusal.getMessage().contains("WIF4J_ALLOWED_ORIGINS"), refusal.getMessage());
            assertNoSecret(refusal.getMessage());

            Exception streamed = assertThrows(Exception.class,
                    () -> stream(streamingModel(origin), "Hello").get(30, TimeUnit.SECONDS));
            assertTrue(chainHas(streamed, WorkloadIdentityException.class), String.valueOf(streamed));

            assertEquals(0, gateway.connections(), "nothing reached the other origin");
            assertEquals(0, anthropic.exchangeRequests(), "no token was even fetched");
            assertEquals(0, anthropic.messagesRequests());
        }
    }

    @Test
    @DisplayName("an allowed gateway origin gets the token, and the call goes through it")
    void allowedOriginGetsTheToken() {
        try (FaultyProxy gateway = FaultyProxy.to(anthropic.baseUrl());
                WorkloadIdentity gated = WorkloadIdentity.builder().context(world)
                        .federationRuleId(anthropic.trust(idp, "workload")).organizationId(anthropic.organizationId())
                        .baseUrl(anthropic.baseUrl()).allowedOrigin(gateway.baseUrl())
                        .identityTokenSupplier(() -> idp.mint().sign()).build()) {
            assertEquals(ANSWER, model(gateway.baseUrl(), WorkloadIdentityHttpClientBuilder.of(gated)).chat("Hello"));
            assertTrue(gateway.connections() > 0, "the call went through the gateway");
            RecordedRequest call = anthropic.messageRequests().get(0);
            assertTrue(call.header("Authorization").orElseThrow().startsWith("Bearer sk-ant-oat01-"));
            assertTrue(call.header("x-api-key").isEmpty());
        }
    }

    @Test
    @DisplayName("wrapped twice, a 401 still costs one replay and one exchange")
    void wrappedTwiceReplaysOnce() {
        ChatModel model = model(anthropic.baseUrl(), WorkloadIdentityHttpClientBuilder.of(identity)
                .over(WorkloadIdentityHttpClientBuilder.of(identity)));
        assertEquals(ANSWER, model.chat("Hello"));
        assertEquals(1, anthropic.messagesRequests());
        for (int i = 0; i < 4; i++) {
            anthropic.enqueueMessages(Fault.status(401, DENIED));
        }
        assertThrows(RuntimeException.class, () -> model.chat("Hello"));
        assertEquals(1 + 2, anthropic.messagesRequests(), "one try and one replay");
        assertEquals(2, anthropic.exchangeRequests(), "one exchange for the 401");
    }

    @Test
    @DisplayName("the model's timeouts reach the HTTP client beneath; toString shows no secret")
    void timeoutsAndToString() {
        WorkloadIdentityHttpClientBuilder builder = WorkloadIdentityHttpClientBuilder.of(identity);
        builder.connectTimeout(java.time.Duration.ofSeconds(7)).readTimeout(java.time.Duration.ofSeconds(9));
        assertEquals(java.time.Duration.ofSeconds(7), builder.connectTimeout());
        assertEquals(java.time.Duration.ofSeconds(9), builder.readTimeout());
        model().chat("Hello");
        assertNoSecret(builder.toString());
        assertNoSecret(builder.build().toString());
        assertTrue(builder.toString().startsWith("WorkloadIdentityHttpClientBuilder["), builder.toString());
    }
}
