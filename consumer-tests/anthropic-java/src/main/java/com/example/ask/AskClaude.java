package com.example.ask;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import dev.wif4j.anthropic.WorkloadIdentityInterceptor;

/** A user's program: the official client with wif4j's interceptor, as the README shows it. */
public final class AskClaude {

    private AskClaude() {
    }

    /**
     * Asks Claude each argument and prints the first text block of each answer.
     *
     * @param args the questions
     */
    public static void main(String[] args) {
        // builder(), not fromEnv(): the client's own fromEnv() reads the same federation variables and would
        // exchange the same identity token a second time.
        AnthropicOkHttpClient.Builder builder = AnthropicOkHttpClient.builder()
                .addInterceptor(WorkloadIdentityInterceptor.fromEnvironment());
        String baseUrl = System.getenv("ANTHROPIC_BASE_URL");   // a gateway, say; unset: api.anthropic.com
        if (baseUrl != null) {
            builder.baseUrl(baseUrl);
        }
        AnthropicClient client = builder.build();
        try {
            for (String question : args) {
                Message answer = client.messages().create(MessageCreateParams.builder()
                        .model("claude-sonnet-4-5").maxTokens(64).addUserMessage(question).build());
                System.out.println(answer.content().get(0).asText().text());
            }
        } finally {
            client.close();
        }
    }
}
