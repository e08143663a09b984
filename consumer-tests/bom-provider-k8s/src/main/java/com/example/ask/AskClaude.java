package com.example.ask;

import dev.wif4j.HttpAuthorization;
import dev.wif4j.WorkloadIdentity;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A user's program in a pod: plain java.net.http, each request given the current token with
 * {@code HttpAuthorization.authorize}, the identity from the Kubernetes provider the BOM brings.
 */
public final class AskClaude {

    private static final Pattern TEXT = Pattern.compile("\"text\"\\s*:\\s*\"([^\"]*)\"");

    private final HttpClient http = HttpClient.newHttpClient();
    private final WorkloadIdentity identity;
    private final URI messages;

    private AskClaude(WorkloadIdentity identity) {
        this.identity = identity;
        this.messages = identity.settings().baseUrl().resolve("/v1/messages");
    }

    /**
     * Asks Claude each argument and prints the status and the first text block of each answer.
     *
     * @param args the questions
     * @throws Exception when a call fails
     */
    public static void main(String[] args) throws Exception {
        try (WorkloadIdentity identity = WorkloadIdentity.fromEnvironment()) {   // once per process
            System.err.println("identity provider: " + identity.providerId());
            AskClaude claude = new AskClaude(identity);
            for (String question : args) {
                System.out.println(claude.ask(question));
            }
        }
    }

    private String ask(String question) throws Exception {
        HttpRequest request = HttpAuthorization.authorize(HttpRequest.newBuilder(messages), identity.credentials().token())
                .header("anthropic-version", "2023-06-01")
                .header("content-type", "application/json")
                .POST(BodyPublishers.ofString("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"" + question + "\"}]}"))
                .build();
        HttpResponse<String> reply = http.send(request, BodyHandlers.ofString());
        Matcher text = TEXT.matcher(reply.body());
        return reply.statusCode() + " " + (text.find() ? text.group(1) : reply.body());
    }
}
