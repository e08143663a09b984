package dev.wif4j.benchmarks;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.Message;
import dev.wif4j.anthropic.WorkloadIdentityInterceptor;

/**
 * A child process of the start-up runs: the official client with wif4j, as the README shows it
 * ({@code builder()} with {@link WorkloadIdentityInterceptor#fromEnvironment()}), and one {@code /v1/messages}
 * call. Exits with 0 on an answer.
 */
public final class OfficialClientWif4jProbe {
    private OfficialClientWif4jProbe() {}

    /**
     * Calls {@code /v1/messages} once.
     *
     * @param args the base URL ({@code builder()} reads no variable; an application gives it in code)
     */
    public static void main(String[] args) {
        AnthropicClient client = AnthropicOkHttpClient.builder().baseUrl(args[0])
                .addInterceptor(WorkloadIdentityInterceptor.fromEnvironment()).build();
        Message reply = client.messages().create(OfficialClientProbe.hello());
        Runtime.getRuntime().exit(reply.content().isEmpty() ? 2 : 0);
    }
}
