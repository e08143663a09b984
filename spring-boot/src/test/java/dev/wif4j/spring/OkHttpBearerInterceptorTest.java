package dev.wif4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wif4j.WorkloadIdentity;
import dev.wif4j.spring.internal.OkHttpBearerInterceptor;
import dev.wif4j.testkit.Fault;
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
        Request request = new Request.Builder().url(fx.anthropic.baseUrl() + "/v1/messages")
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
}
