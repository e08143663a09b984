package dev.wif4j.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Duration;

/**
 * Fetches an issuer's keys the way Anthropic does (discovery document, then {@code jwks_uri}), but only
 * from loopback addresses: the emulator must never dial out, whatever a test registers.
 */
public final class JwksFetcher {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder()
            .proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    /**
     * @param discoveryBase the URL below which {@code .well-known/openid-configuration} lives
     * @return the keys
     * @throws IOException when a document cannot be fetched or read
     */
    public JWKSet discover(String discoveryBase) throws IOException {
        String base = discoveryBase.endsWith("/") ? discoveryBase.substring(0, discoveryBase.length() - 1) : discoveryBase;
        JsonNode doc = JSON.readTree(get(base + "/.well-known/openid-configuration"));
        JsonNode jwksUri = doc.get("jwks_uri");
        if (jwksUri == null || !jwksUri.isTextual()) {
            throw new IOException("the discovery document at " + base + " has no jwks_uri");
        }
        return fetch(jwksUri.asText());
    }

    /**
     * @param url a JWKS URL
     * @return the keys
     * @throws IOException when it cannot be fetched or read
     */
    public JWKSet fetch(String url) throws IOException {
        try {
            return JWKSet.parse(get(url));
        } catch (ParseException e) {
            throw new IOException("the JWKS at " + url + " is not a JWK set: " + e.getMessage(), e);
        }
    }

    /**
     * @param url a URL
     * @throws IllegalArgumentException when it is not http(s) on a loopback address
     */
    public static void requireLoopback(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a URL: " + url, e);
        }
        String host = uri.getHost();
        boolean loopback;
        try {
            loopback = host != null && ("localhost".equals(host) || InetAddress.getByName(literal(host)).isLoopbackAddress())
                    && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()));
        } catch (IOException e) {
            loopback = false;
        }
        if (!loopback) {
            throw new IllegalArgumentException("the emulator fetches keys from loopback only (127.0.0.1, ::1 or "
                    + "localhost), not " + url);
        }
    }

    private static String literal(String host) throws IOException {
        // Only IP literals: never resolve a name through DNS.
        if (host.startsWith("[") || host.matches("[0-9.]+") || host.contains(":")) {
            return host.replace("[", "").replace("]", "");
        }
        throw new IOException("not an IP literal");
    }

    private String get(String url) throws IOException {
        requireLoopback(url);
        try {
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("GET " + url + " answered " + response.statusCode());
            }
            return response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted fetching " + url, e);
        }
    }
}
