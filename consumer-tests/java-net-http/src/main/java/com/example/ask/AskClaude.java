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

/** A user's program: plain java.net.http, authorised by wif4j, as the README shows it. */
public final class AskClaude {

    private static final Pattern TEXT = Pattern.compile("\"text\"\\s*:\\s*\"([^\"]*)\"");

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
                HttpResponse<String> reply = HttpAuthorization.send(http, HttpRequest.newBuilder(messages)
                        .header("anthropic-version", "2023-06-01")
                        .header("content-type", "application/json")
                        .POST(BodyPublishers.ofString("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,"
                                + "\"messages\":[{\"role\":\"user\",\"content\":\"" + question + "\"}]}")),
                        BodyHandlers.ofString(), identity.credentials());
                Matcher text = TEXT.matcher(reply.body());
                System.out.println(reply.statusCode() + " " + (text.find() ? text.group(1) : reply.body()));
            }
        }
    }
}
