package dev.wif4j.spring.boot3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wif4j.AccessToken;
import dev.wif4j.AnthropicCredentials;
import dev.wif4j.TokenScope;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.spring.boot3.internal.BearerExchangeFilter;
import dev.wif4j.spring.boot3.internal.BearerRequestInterceptor;
import dev.wif4j.testkit.AnthropicEmulator;
import dev.wif4j.testkit.Fault;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.OidcIssuer;
import dev.wif4j.testkit.RecordedRequest;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/** The interceptor and the filter on their own, against the Anthropic emulator on 127.0.0.1. */
class BearerHooksTest {
    private static final String HELLO = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":8,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    private static final String DENIED =
            "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"Invalid bearer token\"}}";

    private final OidcIssuer idp = OidcIssuer.start();
    private final AnthropicEmulator anthropic = AnthropicEmulator.start();
    private final FakeDetectionContext world = FakeDetectionContext.empty();
    private final WorkloadIdentity identity = WorkloadIdentity.builder().context(world)
            .federationRuleId(anthropic.trust(idp, "w"))
            .organizationId(anthropic.organizationId()).baseUrl(anthropic.baseUrl())
            .identityTokenSupplier(() -> idp.mint().subject("w").sign()).build();
    /** The threads the credentials were asked for a token on. */
    private final Set<String> tokenThreads = ConcurrentHashMap.newKeySet();
    private final AnthropicCredentials credentials = new AnthropicCredentials() {
        @Override
        public AccessToken token() {
            tokenThreads.add(Thread.currentThread().getName());
            return identity.credentials().token();
        }

        @Override
        public void invalidate(AccessToken rejected) {
            identity.credentials().invalidate(rejected);
        }

        @Override
        public void invalidate() {
            identity.credentials().invalidate();
        }

        @Override
        public TokenScope tokenScope() {
            return identity.credentials().tokenScope();
        }
    };

    @AfterEach
    void stop() {
        identity.close();
        world.close();
        anthropic.close();
        idp.close();
    }

    private int postRest(RestClient client) {
        return client.post().uri(anthropic.baseUrl() + "/v1/messages").contentType(MediaType.APPLICATION_JSON)
                .header("anthropic-beta", "files-api-2025-04-14, oauth-2025-04-20").body(HELLO)
                .exchange((request, response) -> response.getStatusCode().value());
    }

    private int postWeb(WebClient client) {
        return client.post().uri(anthropic.baseUrl() + "/v1/messages").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(HELLO).exchangeToMono(response -> Mono.just(response.statusCode().value())).block();
    }

    @Test
    @DisplayName("added twice, the interceptor authorises once, keeps the other betas, and replays a 401 at most once")
    void interceptorAddedTwice() {
        BearerRequestInterceptor interceptor = new BearerRequestInterceptor(credentials);
        RestClient client = RestClient.builder().requestInterceptor(interceptor).requestInterceptor(interceptor).build();
        assertThat(postRest(client)).isEqualTo(200);
        List<RecordedRequest> sent = anthropic.messageRequests();
        assertThat(sent.get(0).header("anthropic-beta")).contains("files-api-2025-04-14,oauth-2025-04-20");

        anthropic.enqueueMessages(Fault.status(401, DENIED));
        anthropic.enqueueMessages(Fault.status(401, DENIED));
        assertThat(postRest(client)).isEqualTo(401);
        assertThat(anthropic.messagesRequests()).as("one try and one replay, no more").isEqualTo(3);
        assertThat(anthropic.tokensIssued()).isEqualTo(2);
    }

    @Test
    @DisplayName("added twice, the filter replays a 401 at most once, and fetches tokens off the calling thread")
    void filterAddedTwice() {
        BearerExchangeFilter filter = new BearerExchangeFilter(credentials);
        WebClient client = WebClient.builder().filter(filter).filter(filter).build();
        assertThat(postWeb(client)).isEqualTo(200);
        anthropic.enqueueMessages(Fault.status(401, DENIED));
        anthropic.enqueueMessages(Fault.status(401, DENIED));
        assertThat(postWeb(client)).isEqualTo(401);
        assertThat(anthropic.messagesRequests()).isEqualTo(3);
        assertThat(anthropic.tokensIssued()).isEqualTo(2);
        assertThat(anthropic.messageRequests()).allSatisfy(call ->
                assertThat(call.header("Authorization").orElseThrow()).startsWith("Bearer sk-ant-oat01-"));
        // Never on the thread that subscribed nor on a Reactor Netty event loop: on Reactor's bounded-elastic one.
        assertThat(tokenThreads).isNotEmpty().allSatisfy(name -> assertThat(name).startsWith("boundedElastic-"));
    }
}
