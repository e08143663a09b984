package dev.wif4j.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * A child process of the start-up runs, without wif4j: the floor any {@code java.net.http} application pays for
 * its first {@code /v1/messages} call (the JDK client, TLS for https, one round trip), with a fixed bearer token
 * that the emulator refuses. Exits with 0 when any answer arrived.
 */
public final class RawJdkProbe {
    private RawJdkProbe() {}

    /**
     * Calls {@code /v1/messages} once.
     *
     * @param args the base URL
     * @throws Exception if no answer arrived
     */
    public static void main(String[] args) throws Exception {
        HttpResponse<String> reply = call(args[0], "Authorization", "Bearer sk-ant-oat01-not-issued");
        Runtime.getRuntime().exit(reply.statusCode() > 0 ? 0 : 2);
    }

    /**
     * The one {@code /v1/messages} call of the probes without wif4j, on a new java.net.http client.
     *
     * @param baseUrl the API's base URL
     * @param credentialHeader the header that carries the fixed credential
     * @param credential its value
     * @return the answer
     * @throws Exception if no answer arrived
     */
    static HttpResponse<String> call(String baseUrl, String credentialHeader, String credential) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl).resolve("/v1/messages"))
                .header("content-type", "application/json").header("anthropic-version", "2023-06-01")
                .header(credentialHeader, credential)
                .POST(HttpRequest.BodyPublishers.ofString(MessagesProbe.HELLO)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
