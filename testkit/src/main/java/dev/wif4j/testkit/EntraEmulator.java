package dev.wif4j.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpExchange;
import dev.wif4j.testkit.internal.ClientAssertion;
import dev.wif4j.testkit.internal.EntraTokens;
import dev.wif4j.testkit.internal.LoopbackServer;
import dev.wif4j.testkit.internal.OAuthError;
import dev.wif4j.testkit.internal.RequestLog;
import dev.wif4j.testkit.internal.SelfSignedTls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;

/**
 * Microsoft Entra ID's v2.0 token endpoint on {@code https://127.0.0.1} (port 443 by default, since MSAL
 * accepts only an https authority and drops its port), for the AKS Entra Workload ID hop: a pod presents its
 * projected service-account token as a client assertion and receives an Entra access token.
 *
 * <ul>
 *   <li>{@code POST /{tenant}/oauth2/v2.0/token}, form {@code grant_type=client_credentials}, {@code client_id},
 *       {@code scope=api://<app id>/.default},
 *       {@code client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer},
 *       {@code client_assertion}. The assertion must be signed by a key of a {@link #trust(OidcIssuer) trusted}
 *       issuer, carry {@code aud} {@value #TOKEN_EXCHANGE_AUDIENCE}, be unexpired, and match a
 *       {@link Builder#federatedCredential federated credential} of the client ({@code iss} + {@code sub}).
 *       Failures answer Entra's error JSON with its AADSTS codes: 700024 (assertion expired), 700211 (unknown
 *       issuer), 700213 (no federated credential for the subject), 700016 (unknown client), 90002 (unknown
 *       tenant), 500011 (resource not registered, when {@link Builder#applications(String...)} is given).</li>
 *   <li>{@code GET /{tenant}/v2.0/.well-known/openid-configuration}, {@code /{tenant}/discovery/v2.0/keys} and
 *       {@code /common/discovery/instance} (MSAL's instance discovery), for clients that ask.</li>
 * </ul>
 *
 * <p>Tokens have the claims described on {@link AzureManagedIdentityEmulator}, with {@code oid} the service
 * principal's object id and {@code azp} the client id, and live 75 minutes. The server's certificate is
 * self-signed for {@code localhost}; trust it with {@link #clientSslContext()} (e.g.
 * {@code SSLContext.setDefault(entra.clientSslContext())} in a test). Every request is recorded. Thread-safe.
 */
public final class EntraEmulator extends LoopbackEmulator {

    /** The audience Entra requires of a federated client assertion. */
    public static final String TOKEN_EXCHANGE_AUDIENCE = "api://AzureADTokenExchange";
    /** The {@code client_assertion_type} of a JWT client assertion. */
    public static final String JWT_BEARER = ClientAssertion.JWT_BEARER;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One federated identity credential on an app registration or a user-assigned identity. */
    private record FederatedCredential(String clientId, String objectId, String issuer, String subject) {
    }

    private final SelfSignedTls tls;
    private final OidcIssuer issuer;
    private final Clock clock;
    private final String tenantId;
    private final List<FederatedCredential> credentials;
    private final Set<String> applications;
    private final List<OidcIssuer> trusted = new CopyOnWriteArrayList<>();

    private EntraEmulator(Builder b) {
        // The certificate first: without BouncyCastle this fails before anything is started.
        this(b, SelfSignedTls.generate());
    }

    private EntraEmulator(Builder b, SelfSignedTls tls) {
        super("entra-emulator", b.port, tls.serverContext());
        this.tls = tls;
        this.clock = b.clock;
        this.tenantId = b.tenantId;
        this.credentials = List.copyOf(b.credentials);
        this.applications = Set.copyOf(b.applications);
        this.issuer = own(OidcIssuer.builder().clock(b.clock).start());
        route("/", this::handle);
        serve();
    }

    /**
     * Starts an emulator on {@code https://127.0.0.1:443} for tenant {@code 72f988bf-86f1-41af-91ab-2d7cd011db47}
     * with no federated credentials; use {@link #builder()} to add some.
     *
     * @return the running emulator; close it when done
     */
    public static EntraEmulator start() {
        return builder().start();
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Trusts an issuer's keys for client assertions (a Kubernetes cluster's service-account issuer).
     *
     * @param assertionIssuer the issuer
     * @return this emulator
     */
    public EntraEmulator trust(OidcIssuer assertionIssuer) {
        trusted.add(Objects.requireNonNull(assertionIssuer));
        return this;
    }

    /** @return the issuer whose keys sign the access tokens */
    public OidcIssuer issuer() {
        return issuer;
    }

    /** @return the {@code iss} of the access tokens, {@code https://login.microsoftonline.com/<tid>/v2.0} */
    public String issuerUrl() {
        return EntraTokens.issuerV2(tenantId);
    }

    /** @return the tenant id */
    public String tenantId() {
        return tenantId;
    }

    /** @return the port served */
    public int port() {
        return boundPort();
    }

    /** @return the authority host: {@code https://localhost} on port 443, else {@code https://localhost:<port>} */
    public String authorityHost() {
        return boundPort() == 443 ? "https://localhost" : "https://localhost:" + boundPort();
    }

    /**
     * The variables of an AKS pod with Entra Workload ID that point Azure Identity here: {@code AZURE_AUTHORITY_HOST}
     * and {@code AZURE_TENANT_ID} (the client id and the token file are the pod's own).
     *
     * @return the variables, in a new map
     */
    @Override
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AZURE_AUTHORITY_HOST", authorityHost());
        env.put("AZURE_TENANT_ID", tenantId);
        return env;
    }

    /** @return a client TLS context that trusts this emulator's certificate (and nothing else) */
    public SSLContext clientSslContext() {
        return tls.clientContext();
    }

    @Override
    String details() {
        return "tenant " + tenantId;
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = log().receive(exchange);
        String path = exchange.getRequestURI().getPath();
        String[] parts = path.split("/");
        // parts[0] is empty: /{tenant}/...
        String tenant = parts.length > 1 ? parts[1] : "";
        String rest = path.substring(Math.min(path.length(), tenant.length() + 1));
        if ("common".equals(tenant) && rest.equals("/discovery/instance")) {
            instanceDiscovery(exchange);
            return;
        }
        if (!tenant.equals(tenantId) && !"organizations".equals(tenant) && !"common".equals(tenant)) {
            error(exchange, 400, "invalid_request", 90002, "Tenant '" + tenant + "' not found. Check to make sure"
                    + " you have the correct tenant ID and are signing into the correct cloud.");
            return;
        }
        switch (rest) {
            case "/oauth2/v2.0/token" -> token(exchange, new String(body, StandardCharsets.UTF_8));
            case "/v2.0/.well-known/openid-configuration" -> discovery(exchange);
            case "/discovery/v2.0/keys" -> LoopbackServer.send(exchange, 200, "application/json",
                    issuer.jwksJson(), Map.of());
            default -> LoopbackServer.send(exchange, 404, "text/plain", "not found: " + path, Map.of());
        }
    }

    private void token(HttpExchange exchange, String body) throws IOException {
        if (log().playFault(exchange, null)) {
            return;
        }
        if (!"POST".equals(exchange.getRequestMethod())) {
            error(exchange, 405, "invalid_request", 900561, "The endpoint only accepts POST requests.");
            return;
        }
        Map<String, String> form = EntraTokens.form(body);
        if (!"client_credentials".equals(form.get("grant_type"))) {
            error(exchange, 400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.");
            return;
        }
        String clientId = form.getOrDefault("client_id", "");
        // MSAL may add openid, profile and offline_access; the resource is the one ending in /.default.
        String scope = java.util.Arrays.stream(form.getOrDefault("scope", "").split(" "))
                .filter(sc -> sc.endsWith("/.default")).findFirst().orElse(form.getOrDefault("scope", ""));
        if (!ClientAssertion.present(form)) {
            error(exchange, 401, "invalid_client", 7000218, "The request body must contain the following parameter:"
                    + " 'client_assertion' or 'client_secret'.");
            return;
        }
        List<FederatedCredential> forClient = credentials.stream()
                .filter(c -> c.clientId().equalsIgnoreCase(clientId)).toList();
        if (forClient.isEmpty()) {
            error(exchange, 400, "unauthorized_client", 700016, "Application with identifier '" + clientId
                    + "' was not found in the directory '" + tenantId + "'.");
            return;
        }
        Instant now = clock.instant();
        JWTClaimsSet claims;
        try {
            claims = ClientAssertion.check(form.get("client_assertion"), iss -> trusted.stream()
                    .filter(i -> i.issuerUrl().equals(iss)).findFirst().orElse(null), TOKEN_EXCHANGE_AUDIENCE, now);
        } catch (ClientAssertion.Refused refused) {
            refuse(exchange, refused, now);
            return;
        }
        FederatedCredential match = forClient.stream().filter(c -> c.issuer().equals(claims.getIssuer())
                && c.subject().equals(claims.getSubject())).findFirst().orElse(null);
        if (match == null) {
            error(exchange, 400, "invalid_request", 700213, "No matching federated identity record found for"
                    + " presented assertion subject '" + claims.getSubject() + "'. Please note that the matching is"
                    + " done using a case-sensitive comparison.");
            return;
        }
        String resource = EntraTokens.resourceOf(scope);
        if (resource.isBlank() || !scope.endsWith("/.default")) {
            error(exchange, 400, "invalid_scope", 1002012, "The provided value for scope " + scope
                    + " is not valid. Client credential flows must have a scope value with /.default suffixed to"
                    + " the resource identifier (application ID URI).");
            return;
        }
        if (!applications.isEmpty() && !applications.contains(resource)) {
            error(exchange, 400, "invalid_resource", 500011, "The resource principal named " + resource
                    + " was not found in the tenant named " + tenantId + ". This can happen if the application has"
                    + " not been installed by the administrator of the tenant or consented to by any user in the"
                    + " tenant. You might have sent your authentication request to the wrong tenant.");
            return;
        }
        Duration lifetime = Duration.ofMinutes(75);
        ObjectNode answer = JSON.createObjectNode();
        answer.put("token_type", "Bearer");
        answer.put("expires_in", lifetime.toSeconds());
        answer.put("ext_expires_in", lifetime.toSeconds());
        answer.put("access_token", EntraTokens.mint(issuer, 2, tenantId, match.objectId(), match.clientId(),
                resource, lifetime));
        LoopbackServer.send(exchange, 200, "application/json; charset=utf-8", answer.toString(), Map.of());
    }

    /** Entra's answer to each refusal of the shared assertion check, with its AADSTS code. */
    private void refuse(HttpExchange exchange, ClientAssertion.Refused refused, Instant now) throws IOException {
        JWTClaimsSet claims = refused.claims();
        switch (refused.reason()) {
            case MALFORMED -> error(exchange, 401, "invalid_client", 50027, "JWT token is invalid or malformed.");
            case UNKNOWN_ISSUER -> error(exchange, 400, "invalid_request", 700211, "No matching federated identity"
                    + " record found for presented assertion issuer '" + claims.getIssuer() + "'.");
            case BAD_SIGNATURE -> error(exchange, 401, "invalid_client", 700027,
                    "Client assertion failed signature validation.");
            case EXPIRED -> error(exchange, 400, "invalid_client", 700024, "Client assertion is not within its valid"
                    + " time range. Current time: " + now + ", assertion valid to: " + claims.getExpirationTime()
                    + ".");
            case WRONG_AUDIENCE -> error(exchange, 400, "invalid_client", 700212, "No matching federated identity"
                    + " record found for presented assertion audience '" + claims.getAudience() + "'.");
        }
    }

    private void discovery(HttpExchange exchange) throws IOException {
        String base = "https://login.microsoftonline.com/" + tenantId;
        ObjectNode doc = JSON.createObjectNode();
        doc.put("issuer", issuerUrl());
        doc.put("token_endpoint", base + "/oauth2/v2.0/token");
        doc.put("authorization_endpoint", base + "/oauth2/v2.0/authorize");
        doc.put("jwks_uri", "https://login.microsoftonline.com/" + tenantId + "/discovery/v2.0/keys");
        doc.putArray("id_token_signing_alg_values_supported").add("RS256");
        doc.putArray("response_types_supported").add("code").add("id_token");
        doc.putArray("subject_types_supported").add("pairwise");
        doc.put("tenant_region_scope", "EU");
        LoopbackServer.send(exchange, 200, "application/json", doc.toString(), Map.of());
    }

    private void instanceDiscovery(HttpExchange exchange) throws IOException {
        String host = "localhost";
        ObjectNode doc = JSON.createObjectNode();
        doc.put("tenant_discovery_endpoint", "https://" + host + "/" + tenantId
                + "/v2.0/.well-known/openid-configuration");
        doc.put("api-version", "1.1");
        ObjectNode entry = doc.putArray("metadata").addObject();
        entry.put("preferred_network", host);
        entry.put("preferred_cache", host);
        entry.putArray("aliases").add(host);
        LoopbackServer.send(exchange, 200, "application/json", doc.toString(), Map.of());
    }

    private void error(HttpExchange exchange, int status, String error, int code, String description)
            throws IOException {
        Instant now = clock.instant();
        OAuthError.of(error, "AADSTS" + code + ": " + description + " Trace ID: " + UUID.randomUUID()
                        + " Correlation ID: " + UUID.randomUUID() + " Timestamp: " + now)
                .with("error_codes", List.of(code))
                .with("timestamp", now.toString())
                .with("trace_id", UUID.randomUUID().toString())
                .with("correlation_id", UUID.randomUUID().toString())
                .with("error_uri", "https://login.microsoftonline.com/error?code=" + code)
                .send(exchange, status, OAuthError.JSON_UTF8);
    }

    /** Configures an {@link EntraEmulator}. */
    public static final class Builder extends LoopbackEmulator.Builder<Builder, EntraEmulator> {
        private String tenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47";
        private int port = 443;
        private final List<FederatedCredential> credentials = new ArrayList<>();
        private final Set<String> applications = new LinkedHashSet<>();

        private Builder() {
        }

        /**
         * @param tenantId the tenant
         * @return this builder
         */
        public Builder tenantId(String tenantId) {
            this.tenantId = Objects.requireNonNull(tenantId);
            return this;
        }

        /**
         * Serves another port than 443 (MSAL cannot reach it; for direct tests of the emulator).
         *
         * @param port the port, 0 for a free one
         * @return this builder
         */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * Adds a federated identity credential ({@code az identity federated-credential create}): tokens of
         * {@code issuer} with {@code sub} {@code subject} may act as the client.
         *
         * @param clientId the app registration's or user-assigned identity's client id
         * @param objectId its service principal's object id, the {@code oid} of the tokens
         * @param issuer the assertion issuer (the cluster's OIDC issuer URL)
         * @param subject e.g. {@code system:serviceaccount:prod:billing}
         * @return this builder
         */
        public Builder federatedCredential(String clientId, String objectId, String issuer, String subject) {
            credentials.add(new FederatedCredential(clientId, objectId, issuer, subject));
            return this;
        }

        /**
         * Limits the resources tokens can be asked for; others answer {@code AADSTS500011}.
         *
         * @param appIdUris e.g. {@code api://<app id>}
         * @return this builder
         */
        public Builder applications(String... appIdUris) {
            applications.addAll(List.of(appIdUris));
            return this;
        }

        @Override
        public EntraEmulator start() {
            return new EntraEmulator(this);
        }
    }
}
