package dev.wif4j.benchmarks;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;

/**
 * A child process of the start-up runs, the peer of {@link MessagesProbe}: the official client
 * ({@code anthropic-java}) alone, {@code AnthropicOkHttpClient.fromEnv()} with its own workload identity
 * federation ({@code ANTHROPIC_FEDERATION_RULE_ID}, {@code ANTHROPIC_ORGANIZATION_ID},
 * {@code ANTHROPIC_IDENTITY_TOKEN_FILE}), and one {@code /v1/messages} call. Exits with 0 on an answer.
 */
public final class OfficialClientProbe {
    private OfficialClientProbe() {}

    /**
     * Calls {@code /v1/messages} once.
     *
     * @param args none
     */
    public static void main(String[] args) {
        AnthropicClient client = AnthropicOkHttpClient.fromEnv();
        Message reply = client.messages().create(hello());
        Runtime.getRuntime().exit(reply.content().isEmpty() ? 2 : 0);
    }

    static MessageCreateParams hello() {
        return MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(16).addUserMessage("Hello").build();
    }
}
