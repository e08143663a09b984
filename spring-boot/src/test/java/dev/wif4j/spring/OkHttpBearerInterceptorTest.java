package dev.wif4j.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wif4j.WorkloadIdentity;
import dev.wif4j.spring.internal.OkHttpBearerInterceptor;
import dev.wif4j.WorkloadIdentityException;
import dev.wif4j.testkit.Fault;
import dev.wif4j.testkit.FaultyProxy;
import java.io.IOException;
import dev.wif4j.testkit.RecordedRequest;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The OkHttp-level interceptor Spring AI's hook takes, against the Anthropic emulator. */
class OkHttpBearerInterceptorTest {
    private static final String DENIED =
            "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"Invalid bearer token\"}}";
    private final Fixture fx = new Fixture();
    private final WorkloadIdentity identity = WorkloadIdentity.builder().context(fx.world).federationRuleId(fx.ruleId)
            .organizationId(fx.anthropic.organizationId()).baseUrl(fx.anthropic.baseUrl())
            .identityTokenSupplier(() -> fx.idp.mint().sign()).build();

    @AfterEach
    void stop() {
        identity.close();
        fx.close();
    }

    private Response post(OkHttpClient client) throws Exception {
        return post(client, fx.anthropic.baseUrl());
    }

    private Response post(OkHttpClient client, String baseUrl) throws Exception {
        Request request = new Request.Builder().url(baseUrl + "/v1/messages?beta=true")
                .header("x-api-key", "sk-ant-api03-unused").header("anthropic-beta", "files-api-2025-04-14")
                .post(RequestBody.create("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":8,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}", MediaType.get("application/json")))
                .build();
        return client.newCall(request).execute();
    }

    @Test
    @DisplayName("added twice to one client (sync and async share it), it authorises once and replays at most once")
    void idempotent() throws Exception {
        OkHttpBearerInterceptor interceptor = new OkHttpBearerInterceptor(identity.credentials());
        OkHttpClient client = new OkHttpClient.Builder().addInterceptor(interceptor).addInterceptor(interceptor).build();
        try (Response ok = post(client)) {
            assertThat(ok.code()).isEqualTo(200);
        }
        List<RecordedRequest> sent = fx.anthropic.messageRequests();
        RecordedRequest last = sent.get(sent.size() - 1);
        assertThat(last.header("Authorization").orElseThrow()).startsWith("Bearer sk-ant-oat01-");
        assertThat(last.header("anthropic-beta").orElseThrow()).isEqualTo("files-api-2025-04-14,oauth-2025-04-20");
        assertThat(last.headers()).doesNotContainKey("x-api-key");

        fx.anthropic.enqueueMessages(Fault.status(401, DENIED));
        fx.anthropic.enqueueMessages(Fault.status(401, DENIED));
        int before = fx.anthropic.messagesRequests();
        try (Response denied = post(client)) {
            assertThat(denied.code()).isEqualTo(401);
        }
        assertThat(fx.anthropic.messagesRequests() - before).as("one try and one replay, no more").isEqualTo(2);
        assertThat(fx.anthropic.tokensIssued()).isEqualTo(2);
    }

    @Test
    @DisplayName("a request for another origin fails naming it, before a token is fetched, and nothing reaches it")
    void anotherOriginGetsNothing() throws Exception {
        OkHttpClient client = new OkHttpClient.Builder()
                .addInterceptor(new OkHttpBearerInterceptor(identity.credentials())).build();
        try (FaultyProxy gateway = FaultyProxy.to(fx.anthropic.baseUrl())) {
            assertThatThrownBy(() -> post(client, gateway.baseUrl())).isInstanceOf(IOException.class)
                    .hasCauseInstanceOf(WorkloadIdentityException.class)
                    .hasMessageStartingWith("wif4j did not send a request to " + gateway.baseUrl() + ": ")
                    .hasMessageContaining("add it to WIF4J_ALLOWED_ORIGINS (wif4j.allowed-origins in Spring")
                    .hasMessageNotContaining("/v1/messages").hasMessageNotContaining("beta=true");
            assertThat(gateway.connections()).as("nothing reached the other origin").isZero();
        }
        assertThat(fx.anthropic.exchangeRequests()).as("no token was even fetched").isZero();
    }

    @Test
    @DisplayName("an allowed gateway origin gets the token")
    void allowedOriginGetsTheToken() throws Exception {
        try (FaultyProxy gateway = FaultyProxy.to(fx.anthropic.baseUrl());
                WorkloadIdentity gated = WorkloadIdentity.builder().context(fx.world).federationRuleId(fx.ruleId)
                        .organizationId(fx.anthropic.organizationId()).baseUrl(fx.anthropic.baseUrl())
                        .allowedOrigin(gateway.baseUrl()).identityTokenSupplier(() -> fx.idp.mint().sign()).build()) {
            OkHttpClient client = new OkHttpClient.Builder()
                    .addInterceptor(new OkHttpBearerInterceptor(gated.credentials())).build();
            try (Response ok = post(client, gateway.baseUrl())) {
                assertThat(ok.code()).isEqualTo(200);
            }
            assertThat(gateway.connections()).as("the call went through the gateway").isPositive();
            List<RecordedRequest> sent = fx.anthropic.messageRequests();
            assertThat(sent.get(sent.size() - 1).header("Authorization").orElseThrow()).startsWith("Bearer sk-ant-oat01-");
        }
    }

    @Test
    @DisplayName("three calls against an API that answers 401 to everything make one exchange and four requests")
    void refusingApiCostsOneExchange() throws Exception {
        OkHttpClient client = new OkHttpClient.Builder()
                .addInterceptor(new OkHttpBearerInterceptor(identity.credentials())).build();
        try (Response ok = post(client)) {
            assertThat(ok.code()).isEqualTo(200);
        }
        for (int i = 0; i < 6; i++) {
            fx.anthropic.enqueueMessages(Fault.status(401, DENIED));
        }
        int exchanges = fx.anthropic.exchangeRequests();
        int requests = fx.anthropic.messagesRequests();
        for (int i = 0; i < 3; i++) {
            try (Response denied = post(client)) {
                assertThat(denied.code()).isEqualTo(401);
            }
        }
        assertThat(fx.anthropic.exchangeRequests() - exchanges).isEqualTo(1);
        assertThat(fx.anthropic.messagesRequests() - requests).as("a replay only with a new token").isEqualTo(4);
    }
}
