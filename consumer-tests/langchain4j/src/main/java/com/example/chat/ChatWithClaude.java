package com.example.chat;

import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.wif4j.langchain4j.WorkloadIdentityHttpClientBuilder;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A user's program: LangChain4j's Anthropic models with wif4j's HTTP client builder, as the README shows it. */
public final class ChatWithClaude {

    private ChatWithClaude() {
    }

    /**
     * Asks Claude each argument with a blocking call, then the last one again streamed, and prints each answer.
     *
     * @param args the questions
     * @throws Exception if the streamed answer fails or takes over a minute
     */
    public static void main(String[] args) throws Exception {
        // LangChain4j wants the /v1 in its base URL; ANTHROPIC_BASE_URL (a gateway, say) names the origin alone.
        String baseUrl = System.getenv().getOrDefault("ANTHROPIC_BASE_URL", "https://api.anthropic.com") + "/v1";
        WorkloadIdentityHttpClientBuilder workloadIdentity = WorkloadIdentityHttpClientBuilder.fromEnvironment();

        ChatModel model = AnthropicChatModel.builder()
                .httpClientBuilder(workloadIdentity)
                .apiKey(WorkloadIdentityHttpClientBuilder.API_KEY_PLACEHOLDER)
                .baseUrl(baseUrl)
                .modelName("claude-sonnet-4-5")
                .maxTokens(64)
                .build();
        for (String question : args) {
            System.out.println(model.chat(question));
        }

        StreamingChatModel streaming = AnthropicStreamingChatModel.builder()
                .httpClientBuilder(workloadIdentity)
                .apiKey(WorkloadIdentityHttpClientBuilder.API_KEY_PLACEHOLDER)
                .baseUrl(baseUrl)
                .modelName("claude-sonnet-4-5")
                .maxTokens(64)
                .build();
        CompletableFuture<String> streamed = new CompletableFuture<>();
        StringBuilder text = new StringBuilder();
        streaming.chat(args[args.length - 1], new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                text.append(partial);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                streamed.complete(text.toString());
            }

            @Override
            public void onError(Throwable error) {
                streamed.completeExceptionally(error);
            }
        });
        System.out.println("streamed: " + streamed.get(60, TimeUnit.SECONDS));
    }
}
