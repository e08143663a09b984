package dev.wif4j.provider.authentik;

import com.sun.net.httpserver.HttpServer;
import dev.wif4j.testkit.OidcIssuer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A token endpoint of some OIDC server that is not authentik (Keycloak's layout by default), on 127.0.0.1: it
 * answers every POST with what the test gives it, minted by an {@link OidcIssuer} at the matching path, and
 * records each request's form body and {@code Authorization} header.
 */
final class OidcTokenEndpoint implements AutoCloseable {

    /** One recorded request. */
    record Request(String body, String authorization) {}

    private final OidcIssuer issuer;
    private final HttpServer server;
    private final String path;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Queue<Function<Request, String[]>> answers = new ConcurrentLinkedQueue<>();
    private volatile Function<Request, String[]> fallback;

    private OidcTokenEndpoint(String issuerPath, String tokenPath) throws IOException {
        this.issuer = OidcIssuer.builder().path(issuerPath).start();
        this.path = tokenPath;
        this.fallback = r -> ok("{\"id_token\":\"" + issuer.mint().audience("https://api.anthropic.com").sign() + "\"}");
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(tokenPath, exchange -> {
            Request request = new Request(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                    exchange.getRequestHeaders().getFirst("Authorization"));
            requests.add(request);
            Function<Request, String[]> answer = answers.poll();
            String[] reply = (answer != null ? answer : fallback).apply(request);
            byte[] bytes = reply[1].getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(Integer.parseInt(reply[0]), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    /** Keycloak's layout: issuer {@code /realms/acme} (no trailing slash), its token endpoint below it. */
    static OidcTokenEndpoint keycloakLike() throws IOException {
        return new OidcTokenEndpoint("/realms/acme", "/realms/acme/protocol/openid-connect/token");
    }

    /** authentik's layout, for its own wording: token endpoint {@code /application/o/token/}. */
    static OidcTokenEndpoint authentikLike(String issuerPath) throws IOException {
        return new OidcTokenEndpoint(issuerPath, "/application/o/token/");
    }

    static String[] ok(String json) {
        return new String[] {"200", json};
    }

    static String[] status(int status, String json) {
        return new String[] {Integer.toString(status), json};
    }

    OidcIssuer issuer() {
        return issuer;
    }

    String tokenUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** What every request without a queued answer gets. */
    OidcTokenEndpoint answerAlways(Function<Request, String[]> answer) {
        this.fallback = answer;
        return this;
    }

    /** What the next request gets. */
    OidcTokenEndpoint answerNext(Function<Request, String[]> answer) {
        answers.add(answer);
        return this;
    }

    List<Request> requests() {
        return requests;
    }

    @Override
    public void close() {
        server.stop(0);
        issuer.close();
    }
}
