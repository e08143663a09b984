package com.example.ask;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wif4j.HttpAuthorization;
import dev.wif4j.WorkloadIdentity;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;

/**
 * A user's program: plain java.net.http, authorised by wif4j, as the README shows it; the JSON with the
 * application's own jackson-databind.
 */
public final class AskClaude {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AskClaude() {
    }

    /**
     * Asks Claude each argument and prints the status and the first text block of each answer.
     *
     * @param args the questions
     * @throws Exception when a call fails
     */
    public static void main(String[] args) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try (WorkloadIdentity identity = WorkloadIdentity.fromEnvironment()) {   // once per process
            System.err.println("identity provider: " + identity.detection().chosen().orElse("none"));
            URI messages = identity.settings().baseUrl().resolve("/v1/messages");
            for (String question : args) {
                ObjectNode body = JSON.createObjectNode().put("model", "claude-sonnet-4-5").put("max_tokens", 64);
                body.putArray("messages").addObject().put("role", "user").put("content", question);
                HttpResponse<String> reply = HttpAuthorization.send(http, HttpRequest.newBuilder(messages)
                        .header("anthropic-version", "2023-06-01")
                        .header("content-type", "application/json")
                        .POST(BodyPublishers.ofString(JSON.writeValueAsString(body))),
                        BodyHandlers.ofString(), identity.credentials());
                JsonNode text = JSON.readTree(reply.body()).path("content").path(0).path("text");
                System.out.println(reply.statusCode() + " " + (text.isTextual() ? text.textValue() : reply.body()));
            }
        }
    }
}
