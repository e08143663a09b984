package com.acme.wif4j.vault;

import dev.wif4j.testkit.LoopbackEmulator;
import dev.wif4j.testkit.OidcIssuer;
import dev.wif4j.testkit.RecordedRequest;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Vault's identity token endpoint on 127.0.0.1, as far as this provider uses it:
 * {@code GET /v1/identity/oidc/token/:role} with {@code X-Vault-Token} (and {@code X-Vault-Namespace}) answers
 * {@code {"data": {"client_id", "token", "ttl"}}}, the token signed by an {@link OidcIssuer} with the role's
 * {@code client_id} as {@code aud} and the entity's id as {@code sub}. An unknown Vault token gets
 * {@code 403 {"errors": ["permission denied"]}}, an unknown role {@code 400 role "x" not found}, as Vault does.
 * testkit's base serves it, records {@link #requests()} and plays the {@link dev.wif4j.testkit.Fault}s queued with
 * {@link #enqueue}; a status can also be answered to every request.
 */
final class VaultEmulator extends LoopbackEmulator {
    /** The entity id Vault puts in {@code sub}. */
    static final String ENTITY_ID = "7d2e3d66-ea8b-4e0a-9e4c-0f3b0c54b0a1";
    private static final String TOKEN_PATH = "/v1/identity/oidc/token/";

    private record Role(String namespace, String name) {
    }

    private final OidcIssuer issuer;
    private final Map<Role, String> roles = new ConcurrentHashMap<>();
    private final Map<String, Boolean> tokens = new ConcurrentHashMap<>();
    private volatile int persistentStatus;
    private volatile String body;
    private volatile Duration stall = Duration.ZERO;

    private VaultEmulator(OidcIssuer issuer) {
        super("vault-emulator");
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        endpoint(TOKEN_PATH, this::answer);
        serve();
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

    /** @return {@link #baseUrl()}, a {@code VAULT_ADDR} */
    String address() {
        return baseUrl();
    }

    /** @return {@code VAULT_ADDR}, this emulator's address */
    @Override
    public Map<String, String> environment() {
        return Map.of("VAULT_ADDR", baseUrl());
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

    private Response answer(RecordedRequest request) throws InterruptedException {
        Thread.sleep(stall.toMillis());
        int status = persistentStatus;
        if (status != 0) {
            return errors(status, status == 503 ? "Vault is sealed" : "error " + status);
        }
        if (!request.method().equals("GET")) {
            return errors(405, "unsupported operation");
        }
        if (!tokens.containsKey(request.header("X-Vault-Token").orElse(""))) {
            return errors(403, "permission denied");
        }
        String name = request.path().substring(TOKEN_PATH.length());
        String namespace = request.header("X-Vault-Namespace").orElse("").replaceAll("/+$", "");
        String clientId = roles.get(new Role(namespace, name));
        if (clientId == null) {
            return errors(400, "role \"" + name + "\" not found");
        }
        if (body != null) {
            return Response.json(200, body);
        }
        String jwt = issuer.mint().subject(ENTITY_ID).audience(clientId)
                .claim("namespace", namespace.isEmpty() ? "root" : namespace).sign();
        return Response.json(200, "{\"request_id\":\"" + UUID.randomUUID() + "\",\"lease_id\":\"\",\"renewable\":false,"
                + "\"lease_duration\":0,\"data\":{\"client_id\":\"" + clientId + "\",\"token\":\"" + jwt
                + "\",\"ttl\":3600},\"wrap_info\":null,\"warnings\":null,\"auth\":null}");
    }

    /**
     * A Vault error answer, {@code {"errors": ["message"]}}.
     *
     * @param status the status
     * @param message the message
     * @return the answer
     */
    private static Response errors(int status, String message) {
        return Response.json(status, "{\"errors\":[\"" + message.replace("\"", "\\\"") + "\"]}");
    }
}
