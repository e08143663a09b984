package com.acme.wif4j.vault;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.wif4j.testkit.OidcIssuer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Vault's identity token endpoint on 127.0.0.1, as far as this provider uses it:
 * {@code GET /v1/identity/oidc/token/:role} with {@code X-Vault-Token} (and {@code X-Vault-Namespace}) answers
 * {@code {"data": {"client_id", "token", "ttl"}}}, the token signed by an {@link OidcIssuer} with the role's
 * {@code client_id} as {@code aud} and the entity's id as {@code sub}. An unknown Vault token gets
 * {@code 403 {"errors": ["permission denied"]}}, an unknown role {@code 400 role "x" not found}, as Vault does.
 * Faults can be queued, or a status answered to every request.
 */
final class VaultEmulator implements AutoCloseable {
    /** The entity id Vault puts in {@code sub}. */
    static final String ENTITY_ID = "7d2e3d66-ea8b-4e0a-9e4c-0f3b0c54b0a1";

    /** One request as the emulator saw it. */
    record Request(String path, String vaultToken, String namespace) {
    }

    private record Role(String namespace, String name) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "vault-emulator");
        t.setDaemon(true);
        return t;
    });
    private final OidcIssuer issuer;
    private final Map<Role, String> roles = new ConcurrentHashMap<>();
    private final Map<String, Boolean> tokens = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Queue<Integer> faults = new ConcurrentLinkedQueue<>();
    private volatile int persistentStatus;
    private volatile String body;
    private volatile Duration stall = Duration.ZERO;

    private VaultEmulator(OidcIssuer issuer) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/v1/identity/oidc/token/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /**
     * Starts an emulator whose tokens the issuer signs.
     *
     * @param issuer the signing issuer; Anthropic trusts it through its discovery document
     * @return the running emulator
     */
    static VaultEmulator start(OidcIssuer issuer) {
        return new VaultEmulator(issuer);
    }

    /** @return {@code http://127.0.0.1:<port>}, a {@code VAULT_ADDR} */
    String address() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * Creates a role in the root namespace.
     *
     * @param name the role's name
     * @param clientId its {@code client_id}, the {@code aud} of its tokens
     * @return this emulator
     */
    VaultEmulator role(String name, String clientId) {
        return role("", name, clientId);
    }

    /**
     * Creates a role in a namespace.
     *
     * @param namespace the namespace, {@code ""} for the root one
     * @param name the role's name
     * @param clientId its {@code client_id}
     * @return this emulator
     */
    VaultEmulator role(String namespace, String name, String clientId) {
        roles.put(new Role(namespace, name), clientId);
        return this;
    }

    /**
     * Accepts a Vault token.
     *
     * @param token the token
     * @return this emulator
     */
    VaultEmulator acceptToken(String token) {
        tokens.put(token, Boolean.TRUE);
        return this;
    }

    /**
     * Answers the next request with a status and a Vault error body.
     *
     * @param status the status
     */
    void enqueue(int status) {
        faults.add(status);
    }

    /**
     * Answers every request with a status, as a sealed Vault answers 503, until reset with 0.
     *
     * @param status the status, or 0 to answer normally again
     */
    void failEveryRequest(int status) {
        persistentStatus = status;
    }

    /**
     * Answers every successful request with this body instead of a token.
     *
     * @param text the body, or {@code null} to answer normally again
     */
    void answerWith(String text) {
        body = text;
    }

    /**
     * Waits this long before answering each request, as an overloaded Vault does.
     *
     * @param duration the wait, {@link Duration#ZERO} for none
     */
    void stall(Duration duration) {
        stall = duration;
    }

    /** @return every request, oldest first */
    List<Request> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            String path = exchange.getRequestURI().getPath();
            String token = exchange.getRequestHeaders().getFirst("X-Vault-Token");
            String namespace = exchange.getRequestHeaders().getFirst("X-Vault-Namespace");
            requests.add(new Request(path, token, namespace));
            if (!stall.isZero()) {
                try {
                    Thread.sleep(stall.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            Integer fault = faults.poll();
            int status = fault != null ? fault : persistentStatus;
            if (status != 0) {
                send(exchange, status, status == 503 ? errors("Vault is sealed") : errors("error " + status));
                return;
            }
            if (!"GET".equals(exchange.getRequestMethod())) {
                send(exchange, 405, errors("unsupported operation"));
                return;
            }
            if (token == null || !tokens.containsKey(token)) {
                send(exchange, 403, errors("permission denied"));
                return;
            }
            String name = path.substring("/v1/identity/oidc/token/".length());
            String ns = namespace == null ? "" : namespace.replaceAll("/+$", "");
            String clientId = roles.get(new Role(ns, name));
            if (clientId == null) {
                send(exchange, 400, errors("role \"" + name + "\" not found"));
                return;
            }
            if (body != null) {
                send(exchange, 200, body);
                return;
            }
            String jwt = issuer.mint().subject(ENTITY_ID).audience(clientId)
                    .claim("namespace", ns.isEmpty() ? "root" : ns).sign();
            send(exchange, 200, "{\"request_id\":\"" + UUID.randomUUID() + "\",\"lease_id\":\"\",\"renewable\":false,"
                    + "\"lease_duration\":0,\"data\":{\"client_id\":\"" + clientId + "\",\"token\":\"" + jwt
                    + "\",\"ttl\":3600},\"wrap_info\":null,\"warnings\":null,\"auth\":null}");
        } finally {
            exchange.close();
        }
    }

    private static String errors(String message) {
        return "{\"errors\":[\"" + message.replace("\"", "\\\"") + "\"]}";
    }

    private static void send(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public String toString() {
        return "VaultEmulator[" + address() + "]";
    }
}
