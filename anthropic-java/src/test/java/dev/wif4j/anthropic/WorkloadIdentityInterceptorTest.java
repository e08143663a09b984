package dev.wif4j.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.WorkloadIdentityBuilder;
import dev.wif4j.WorkloadIdentityException;
import dev.wif4j.testkit.AnthropicEmulator;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.Fault;
import dev.wif4j.testkit.FaultyProxy;
import dev.wif4j.testkit.OidcIssuer;
import dev.wif4j.testkit.RecordedRequest;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The real anthropic-java client, with the wif4j interceptor, against the Anthropic emulator on 127.0.0.1. */
class WorkloadIdentityInterceptorTest {
    private static final MessageCreateParams HELLO = MessageCreateParams.builder()
            .model("claude-sonnet-4-5").maxTokens(64).addUserMessage("Hello").build();

    private OidcIssuer idp;
    private AnthropicEmulator anthropic;
    private FakeDetectionContext world;
    private WorkloadIdentity identity;
    private AnthropicClient client;

    @BeforeEach
    void start() {
        idp = OidcIssuer.start();
        anthropic = AnthropicEmulator.start();
        String ruleId = anthropic.trust(idp, "workload");
        world = FakeDetectionContext.empty();
        identity = WorkloadIdentity.builder().context(world)
                .federationRuleId(ruleId)
                .organizationId(anthropic.organizationId())
                .baseUrl(anthropic.baseUrl())
                .identityTokenSupplier(() -> idp.mint().sign())
                .build();
        client = AnthropicOkHttpClient.builder()
                .baseUrl(anthropic.baseUrl())
                .maxRetries(0)
                .putHeader("anthropic-beta", "files-api-2025-04-14")
                .addInterceptor(WorkloadIdentityInterceptor.of(identity))
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        identity.close();
        world.close();
        anthropic.close();
        idp.close();
    }

    private static String text(Message message) {
        return message.content().get(0).asText().text();
    }

    private RecordedRequest lastMessageRequest() {
        List<RecordedRequest> requests = anthropic.messageRequests();
        return requests.get(requests.size() - 1);
    }

    @Test
    @DisplayName("a synchronous call carries the bearer token and the OAuth beta, once, beside the caller's betas")
    void synchronousCall() {
        assertEquals("Hello from the Anthropic emulator.", text(client.messages().create(HELLO)));
        RecordedRequest sent = lastMessageRequest();
        assertTrue(sent.header("Authorization").orElseThrow().startsWith("Bearer sk-ant-oat01-"));
        assertEquals("files-api-2025-04-14,oauth-2025-04-20", sent.header("anthropic-beta").orElseThrow());
        assertFalse(sent.headers().containsKey("x-api-key"));
        client.messages().create(HELLO);
        assertEquals(1, anthropic.tokensIssued(), "the second call used the cached token");
    }

    @Test
    @DisplayName("an asynchronous call is authorised the same way")
    void asynchronousCall() throws Exception {
        Message message = client.async().messages().create(HELLO).get(30, TimeUnit.SECONDS);
        assertEquals("Hello from the Anthropic emulator.", text(message));
        assertTrue(lastMessageRequest().header("Authorization").orElseThrow().startsWith("Bearer sk-ant-oat01-"));
    }

    @Test
    @DisplayName("a streaming call is authorised and streams the whole answer")
    void streamingCall() {
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(HELLO)) {
            String text = stream.stream()
                    .flatMap(e -> e.contentBlockDelta().stream())
                    .flatMap(d -> d.delta().text().stream())
                    .map(t -> t.text())
                    .collect(Collectors.joining());
            assertEquals("Hello from the Anthropic emulator.", text);
        }
        assertTrue(lastMessageRequest().header("anthropic-beta").orElseThrow().contains("oauth-2025-04-20"));
    }

    @Test
    @DisplayName("a revoked token gets a 401, wif4j refreshes once, and the call succeeds")
    void revokedTokenIsRefreshedOnce() {
        client.messages().create(HELLO);
        anthropic.revokeAll();
        assertEquals("Hello from the Anthropic emulator.", text(client.messages().create(HELLO)));
        assertEquals(2, anthropic.tokensIssued(), "one refresh after the 401");
        assertEquals(3, anthropic.messagesRequests(), "the 401 and its single replay");
    }

    @Test
    @DisplayName("asynchronous calls are replayed once after a 401 too")
    void asynchronousReplay() throws Exception {
        client.messages().create(HELLO);
        anthropic.revokeAll();
        assertEquals("Hello from the Anthropic emulator.",
                text(client.async().messages().create(HELLO).get(30, TimeUnit.SECONDS)));
        assertEquals(2, anthropic.tokensIssued());
    }

    @Test
    @DisplayName("a second 401 in a row is the caller's, not a loop")
    void secondUnauthorizedIsReturned() {
        String denied = "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"Invalid bearer token\"}}";
        anthropic.enqueueMessages(Fault.status(401, denied));
        anthropic.enqueueMessages(Fault.status(401, denied));
        assertThrows(UnauthorizedException.class, () -> client.messages().create(HELLO));
        assertEquals(2, anthropic.messagesRequests(), "one try and one replay, no more");
        assertEquals(2, anthropic.tokensIssued(), "one token, then one refresh");
        assertEquals("Hello from the Anthropic emulator.", text(client.messages().create(HELLO)));
    }

    private static final String DENIED =
            "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"Invalid bearer token\"}}";

    private AnthropicClient clientFor(String baseUrl, WorkloadIdentityInterceptor... interceptors) {
        AnthropicOkHttpClient.Builder builder = AnthropicOkHttpClient.builder().baseUrl(baseUrl).maxRetries(0);
        for (WorkloadIdentityInterceptor interceptor : interceptors) {
            builder.addInterceptor(interceptor);
        }
        return builder.build();
    }

    @Test
    @DisplayName("a client pointed at another origin (a gateway not allowed) fails naming it, and nothing reaches it")
    void anotherOriginGetsNothing() {
        try (FaultyProxy gateway = FaultyProxy.to(anthropic.baseUrl())) {
            String origin = gateway.baseUrl(); // http://127.0.0.1:<another port>
            AnthropicClient elsewhere = clientFor(origin, WorkloadIdentityInterceptor.of(identity));
            try {
                WorkloadIdentityException e = assertThrows(WorkloadIdentityException.class,
                        () -> elsewhere.messages().create(HELLO));
                assertTrue(e.getMessage().startsWith("wif4j did not send a request to " + origin + ": the access token "
                        + "is attached only to the Anthropic base URL's origin (" + anthropic.baseUrl() + ")"),
                        e.getMessage());
                assertTrue(e.getMessage().contains("add it to WIF4J_ALLOWED_ORIGINS"), e.getMessage());
                assertFalse(e.getMessage().contains("/v1/messages"), e.getMessage());
                ExecutionException async = assertThrows(ExecutionException.class,
                        () -> elsewhere.async().messages().create(HELLO).get(30, TimeUnit.SECONDS));
                assertTrue(async.getCause() instanceof WorkloadIdentityException, String.valueOf(async.getCause()));
                assertEquals(e.getMessage(), async.getCause().getMessage());
            } finally {
                elsewhere.close();
            }
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
                        .baseUrl(anthropic.baseUrl()).allowedOrigin(gateway.baseUrl() + "/")
                        .identityTokenSupplier(() -> idp.mint().sign()).build()) {
            AnthropicClient viaGateway = clientFor(gateway.baseUrl(), WorkloadIdentityInterceptor.of(gated));
            try {
                assertEquals("Hello from the Anthropic emulator.", text(viaGateway.messages().create(HELLO)));
            } finally {
                viaGateway.close();
            }
            assertTrue(gateway.connections() > 0, "the call went through the gateway");
            assertTrue(lastMessageRequest().header("Authorization").orElseThrow().startsWith("Bearer sk-ant-oat01-"));
        }
    }

    @Test
    @DisplayName("added twice to one client, a 401 costs one replay and one exchange, not two of each")
    void addedTwiceReplaysOnce() {
        AnthropicClient twice = clientFor(anthropic.baseUrl(), WorkloadIdentityInterceptor.of(identity),
                WorkloadIdentityInterceptor.of(identity));
        try {
            assertEquals("Hello from the Anthropic emulator.", text(twice.messages().create(HELLO)));
            assertEquals(1, anthropic.messagesRequests(), "authorised once, sent once");
            for (int i = 0; i < 4; i++) {
                anthropic.enqueueMessages(Fault.status(401, DENIED));
            }
            int exchanges = anthropic.exchangeRequests();
            assertThrows(UnauthorizedException.class, () -> twice.messages().create(HELLO));
            assertEquals(1 + 2, anthropic.messagesRequests(), "one try and one replay");
            assertEquals(1, anthropic.exchangeRequests() - exchanges, "one exchange for the 401");
        } finally {
            twice.close();
        }
    }

    @Test
    @DisplayName("the same instance added twice, asynchronously: one replay, one exchange")
    void sameInstanceAddedTwiceAsync() throws Exception {
        WorkloadIdentityInterceptor interceptor = WorkloadIdentityInterceptor.of(identity);
        AnthropicClient twice = clientFor(anthropic.baseUrl(), interceptor, interceptor);
        try {
            twice.async().messages().create(HELLO).get(30, TimeUnit.SECONDS);
            for (int i = 0; i < 4; i++) {
                anthropic.enqueueMessages(Fault.status(401, DENIED));
            }
            int exchanges = anthropic.exchangeRequests();
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> twice.async().messages().create(HELLO).get(30, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof UnauthorizedException, String.valueOf(e.getCause()));
            assertEquals(1 + 2, anthropic.messagesRequests(), "the 401 and one replay");
            assertEquals(1, anthropic.exchangeRequests() - exchanges);
        } finally {
            twice.close();
        }
    }

    @Test
    @DisplayName("three calls against an API that answers 401 to everything make one exchange, not three")
    void refusingApiCostsOneExchange() {
        client.messages().create(HELLO);
        for (int i = 0; i < 6; i++) {
            anthropic.enqueueMessages(Fault.status(401, DENIED));
        }
        int exchanges = anthropic.exchangeRequests();
        for (int i = 0; i < 3; i++) {
            assertThrows(UnauthorizedException.class, () -> client.messages().create(HELLO));
        }
        assertEquals(1, anthropic.exchangeRequests() - exchanges, "one exchange a minute for 401s");
        assertEquals(1 + 2 + 1 + 1, anthropic.messagesRequests(), "a replay only with a new token");
    }

    @Test
    @DisplayName("an API key configured on the client is replaced, never sent beside the bearer token")
    void apiKeyIsRemoved() {
        AnthropicClient keyed = AnthropicOkHttpClient.builder().baseUrl(anthropic.baseUrl()).apiKey("sk-ant-api03-x")
                .addInterceptor(WorkloadIdentityInterceptor.of(identity)).build();
        try {
            keyed.messages().create(HELLO);
        } finally {
            keyed.close();
        }
        assertFalse(lastMessageRequest().headers().containsKey("x-api-key"), lastMessageRequest().headers().toString());
        assertTrue(Stream.of(lastMessageRequest().header("Authorization").orElseThrow()).allMatch(
                h -> h.startsWith("Bearer sk-ant-oat01-")));
    }

    @Test
    @DisplayName("ANTHROPIC_API_KEY beside wif4j draws one warning naming it")
    void apiKeyVariableIsWarnedAbout() {
        try (FakeDetectionContext keyed = FakeDetectionContext.builder().env("ANTHROPIC_API_KEY", "sk-ant-api03-secret")
                        .build();
                WorkloadIdentity withKey = WorkloadIdentity.builder().context(keyed)
                        .federationRuleId("fdrl_x").organizationId(anthropic.organizationId())
                        .baseUrl(anthropic.baseUrl()).identityTokenSupplier(() -> idp.mint().sign()).build()) {
            List<String> warnings = keyed.logLines().stream().filter(l -> l.startsWith("WARNING")).toList();
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains("ANTHROPIC_API_KEY is set"), warnings.get(0));
            assertFalse(warnings.get(0).contains("sk-ant-api03-secret"), warnings.get(0));
            assertTrue(WorkloadIdentityInterceptor.of(withKey).toString().startsWith("WorkloadIdentityInterceptor["));
        }
    }

    private WorkloadIdentityBuilder sharedBuilder() {
        return WorkloadIdentity.builder().context(world)
                .federationRuleId(anthropic.trust(idp, "workload"))
                .organizationId(anthropic.organizationId())
                .baseUrl(anthropic.baseUrl())
                .identityTokenSupplier(() -> idp.mint().sign());
    }

    @Test
    @DisplayName("from(builder): the exchange goes over the official client's own OkHttp, and the calls share it")
    void exchangeOverTheOfficialClient() {
        AnthropicClient shared = AnthropicOkHttpClient.builder().baseUrl(anthropic.baseUrl()).maxRetries(0)
                .addInterceptor(WorkloadIdentityInterceptor.from(sharedBuilder())).build();
        try {
            assertEquals("Hello from the Anthropic emulator.", text(shared.messages().create(HELLO)));
            shared.messages().create(HELLO);
        } finally {
            shared.close();
        }
        List<RecordedRequest> exchanges = anthropic.tokenRequests();
        assertEquals(1, exchanges.size(), "one exchange for both calls");
        RecordedRequest exchange = exchanges.get(0);
        // OkHttp's bridge adds these; the JDK client sends neither (and offers an h2c upgrade instead).
        assertEquals("gzip", exchange.header("Accept-Encoding").orElse(null), exchange.headers().toString());
        assertTrue(exchange.header("Upgrade").isEmpty(), exchange.headers().toString());
        assertTrue(exchange.header("User-Agent").orElseThrow().startsWith("wif4j/"), "wif4j's own User-Agent");
        assertEquals(lastMessageRequest().header("Accept-Encoding"), exchange.header("Accept-Encoding"));
    }

    @Test
    @DisplayName("with the official client's debug logging on, neither token reaches its log")
    void debugLoggingShowsNoToken() {
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        AnthropicClient logging = AnthropicOkHttpClient.builder().baseUrl(anthropic.baseUrl()).maxRetries(0)
                .logLevel(com.anthropic.core.LogLevel.DEBUG)
                .addInterceptor(WorkloadIdentityInterceptor.from(sharedBuilder())).build();
        String log;
        try {
            System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
            logging.messages().create(HELLO);
        } finally {
            System.setErr(err);
            logging.close();
        }
        log = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(log.contains("/v1/messages"), "the client did log its own call: " + log);
        assertFalse(log.contains("/v1/oauth/token"), log);
        assertFalse(log.contains("eyJ"), "no identity token in the log");
        assertFalse(log.contains("sk-ant-oat01-"), "no access token in the log");
        assertEquals(1, anthropic.tokensIssued());
    }

    @Test
    @DisplayName("a closed client no longer carries the exchange; one still open does")
    void aClosedClientIsLetGo() {
        WorkloadIdentityInterceptor interceptor = WorkloadIdentityInterceptor.from(sharedBuilder());
        AnthropicClient first = AnthropicOkHttpClient.builder().baseUrl(anthropic.baseUrl()).maxRetries(0)
                .addInterceptor(interceptor).build();
        first.close();
        AnthropicClient second = AnthropicOkHttpClient.builder().baseUrl(anthropic.baseUrl()).maxRetries(0)
                .addInterceptor(interceptor).build();
        try {
            second.messages().create(HELLO);
        } finally {
            second.close();
        }
        assertEquals("gzip", anthropic.tokenRequests().get(0).header("Accept-Encoding").orElse(null),
                "the client still open carries the exchange");
    }

    @Test
    @DisplayName("over the official client a redirect is not followed: the identity token goes nowhere else")
    void redirectsAreNotFollowed() {
        try (AnthropicEmulator elsewhere = AnthropicEmulator.start()) {
            anthropic.enqueue(Fault.status(307, "").withHeader("Location", elsewhere.baseUrl() + "/v1/oauth/token"));
            AnthropicClient shared = AnthropicOkHttpClient.builder().baseUrl(anthropic.baseUrl()).maxRetries(0)
                    .addInterceptor(WorkloadIdentityInterceptor.from(sharedBuilder())).build();
            try {
                dev.wif4j.TokenExchangeException e = assertThrows(dev.wif4j.TokenExchangeException.class,
                        () -> shared.messages().create(HELLO));
                assertEquals(307, e.statusCode());
                assertTrue(e.getMessage().contains("never follows a redirect"), e.getMessage());
            } finally {
                shared.close();
            }
            assertEquals(0, elsewhere.tokenRequests().size(), "nothing reached the redirect's target");
        }
    }
}
