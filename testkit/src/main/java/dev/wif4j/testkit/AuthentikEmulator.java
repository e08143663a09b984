package dev.wif4j.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.wif4j.testkit.internal.ClientAssertion;
import dev.wif4j.testkit.internal.Exchanges;
import dev.wif4j.testkit.internal.LoopbackServer;
import dev.wif4j.testkit.internal.OAuthError;
import dev.wif4j.testkit.internal.RequestLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An authentik OAuth2/OpenID provider on 127.0.0.1, answering the client_credentials grant the way
 * authentik's machine-to-machine login does: {@code POST /application/o/token/} (form) with a client id and
 * either a client secret or a JWT client assertion from a trusted issuer, answering with an
 * {@code access_token} and (with scope {@code openid}) an {@code id_token}, both JWTs with
 * {@code iss} {@code <host>/application/o/<slug>/} (trailing slash), {@code sub}
 * {@code ak-<provider>-client_credentials} and {@code aud} the client id. The issuer's discovery document
 * and keys are served below its URL, so Anthropic's emulator can use discovery.
 *
 * <p>Wrong credentials get authentik's {@code 400 invalid_client}; other misbehaviour comes from
 * {@link #enqueue(Fault)}. Thread-safe.
 */
public final class AuthentikEmulator extends LoopbackEmulator {

    /** The client assertion type of RFC 7523. */
    public static final String JWT_BEARER_ASSERTION = ClientAssertion.JWT_BEARER;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final OidcIssuer issuer;
    private final String slug;
    private final String providerName;
    private final Duration validity;
    private final Clock clock;
    private final Map<String, String> secrets = new ConcurrentHashMap<>();
    private final Map<String, OidcIssuer> assertionIssuers = new ConcurrentHashMap<>();

    private AuthentikEmulator(Builder b) {
        this(b, OidcIssuer.builder().clock(b.clock).path("/application/o/" + b.slug + "/").start());
    }

    /** The token endpoint is served beside the issuer, on its host, as authentik does. */
    private AuthentikEmulator(Builder b, OidcIssuer issuer) {
        super(issuer);
        this.issuer = issuer;
        this.slug = b.slug;
        this.providerName = b.providerName;
        this.validity = b.validity;
        this.clock = b.clock;
        route("/application/o/token/", this::handleToken);
    }

    /**
     * Starts an emulator for the application {@code claude} and the provider {@code anthropic-wif}.
     *
     * @return the running emulator; close it when done
     */
    public static AuthentikEmulator start() {
        return builder().start();
    }

    /** @return a builder for another slug, provider name, token validity or clock */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Registers a confidential client.
     *
     * @param clientId the client id
     * @param clientSecret its secret
     * @return this emulator
     */
    public AuthentikEmulator client(String clientId, String clientSecret) {
        secrets.put(Objects.requireNonNull(clientId), Objects.requireNonNull(clientSecret));
        return this;
    }

    /**
     * Lets a client log in with a JWT client assertion signed by an issuer (authentik's federated
     * machine-to-machine login, e.g. with a projected Kubernetes token).
     *
     * @param clientId the client id
     * @param assertionIssuer the issuer whose signed tokens are accepted
     * @return this emulator
     */
    public AuthentikEmulator clientWithAssertions(String clientId, OidcIssuer assertionIssuer) {
        assertionIssuers.put(Objects.requireNonNull(clientId), Objects.requireNonNull(assertionIssuer));
        return this;
    }

    /** @return the token endpoint, {@code http://127.0.0.1:<port>/application/o/token/} */
    public String tokenUrl() {
        return issuer.hostUrl() + "/application/o/token/";
    }

    /** @return the host URL, {@code http://127.0.0.1:<port>}, as {@code WIF4J_AUTHENTIK_HOST} takes it */
    public String hostUrl() {
        return issuer.hostUrl();
    }

    /** @return the issuer URL, {@code http://127.0.0.1:<port>/application/o/<slug>/} */
    public String issuerUrl() {
        return issuer.issuerUrl();
    }

    /** @return the issuer, to register with {@link AnthropicEmulator#addIssuer} */
    public OidcIssuer issuer() {
        return issuer;
    }

    /** @return the {@code sub} of issued tokens, {@code ak-<provider>-client_credentials} */
    public String subject() {
        return "ak-" + providerName + "-client_credentials";
    }

    /** @return the application slug */
    public String slug() {
        return slug;
    }

    /** @return {@code WIF4J_AUTHENTIK_TOKEN_URL}, the token endpoint (the client id and secret are the caller's) */
    @Override
    public Map<String, String> environment() {
        return Map.of("WIF4J_AUTHENTIK_TOKEN_URL", tokenUrl());
    }

    @Override
    public String toString() {
        return "AuthentikEmulator[" + issuerUrl() + "]";
    }

    private void handleToken(HttpExchange exchange) throws IOException {
        byte[] raw = log().receive(exchange);
        if (log().playFault(exchange, null)) {
            return;
        }
        if (!"POST".equals(exchange.getRequestMethod())) {
            OAuthError.of("invalid_request", "Use POST").send(exchange, 405, OAuthError.JSON);
            return;
        }
        Map<String, String> form = Exchanges.form(new String(raw, StandardCharsets.UTF_8));
        if (!"client_credentials".equals(form.get("grant_type"))) {
            OAuthError.of("unsupported_grant_type", "Only client_credentials is enabled")
                    .send(exchange, 400, OAuthError.JSON);
            return;
        }
        String clientId = form.get("client_id");
        if (clientId == null || !(authenticatedBySecret(clientId, form) || authenticatedByAssertion(clientId, form))) {
            OAuthError.of("invalid_client", "Client authentication failed (e.g., unknown client, no client"
                    + " authentication included, or unsupported authentication method)")
                    .send(exchange, 400, OAuthError.JSON);
            return;
        }
        String scope = form.getOrDefault("scope", "");
        OidcIssuer.TokenBuilder access = issuer.mint().subject(subject()).audience(clientId).lifetime(validity)
                .claim("azp", clientId).claim("scope", scope);
        ObjectNode body = JSON.createObjectNode();
        body.put("access_token", access.sign());
        body.put("token_type", "Bearer");
        body.put("scope", scope);
        body.put("expires_in", validity.toSeconds());
        if (List.of(scope.split(" ")).contains("openid")) {
            body.put("id_token", issuer.mint().subject(subject()).audience(clientId).lifetime(validity)
                    .claim("azp", clientId).claim("auth_time", clock.instant().getEpochSecond()).sign());
        }
        LoopbackServer.send(exchange, 200, "application/json", body.toString(), Map.of());
    }

    private boolean authenticatedBySecret(String clientId, Map<String, String> form) {
        String secret = secrets.get(clientId);
        return secret != null && secret.equals(form.get("client_secret"));
    }

    private boolean authenticatedByAssertion(String clientId, Map<String, String> form) {
        OidcIssuer trusted = assertionIssuers.get(clientId);
        if (trusted == null || !ClientAssertion.present(form)) {
            return false;
        }
        try {
            // authentik does not check the audience of a federated assertion; every refusal is invalid_client.
            ClientAssertion.check(form.get("client_assertion"),
                    iss -> trusted.issuerUrl().equals(iss) ? trusted : null, null, clock.instant());
            return true;
        } catch (ClientAssertion.Refused refused) {
            return false;
        }
    }

    /** Configures an {@link AuthentikEmulator}. */
    public static final class Builder extends LoopbackEmulator.Builder<Builder, AuthentikEmulator> {
        private String slug = "claude";
        private String providerName = "anthropic-wif";
        private Duration validity = Duration.ofMinutes(10);

        private Builder() {
        }

        /**
         * @param slug the application slug, part of the issuer URL
         * @return this builder
         */
        public Builder slug(String slug) {
            if (!slug.matches("[a-z0-9-_]+")) {
                throw new IllegalArgumentException("an authentik slug is lower-case letters, digits, - and _: " + slug);
            }
            this.slug = slug;
            return this;
        }

        /**
         * @param name the provider's name, part of the generated service account's username
         *     ({@code ak-<name>-client_credentials})
         * @return this builder
         * @throws IllegalArgumentException when the name is blank: authentik asks for one
         */
        public Builder providerName(String name) {
            if (name.isBlank()) {
                throw new IllegalArgumentException("an authentik provider has a name; a blank one makes no username");
            }
            this.providerName = name;
            return this;
        }

        /**
         * Sets the provider's Access Token Validity: the lifetime of issued tokens (default 10 minutes).
         *
         * @param validity the lifetime
         * @return this builder
         */
        public Builder accessTokenValidity(Duration validity) {
            this.validity = Objects.requireNonNull(validity);
            return this;
        }

        @Override
        public AuthentikEmulator start() {
            return new AuthentikEmulator(this);
        }
    }
}
