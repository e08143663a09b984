package dev.wif4j.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import dev.wif4j.AccessToken;
import dev.wif4j.testkit.internal.JwksFetcher;
import dev.wif4j.testkit.internal.LoopbackServer;
import dev.wif4j.testkit.internal.RequestLog;
import dev.wif4j.testkit.internal.SelfSignedTls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Anthropic's token endpoint and a tiny Messages API on 127.0.0.1, behaving as PROTOCOL.md describes the
 * real service: {@code POST /v1/oauth/token} validates the JWT-bearer assertion against registered
 * issuers and rules and mints {@code sk-ant-oat01-...} tokens; {@code POST /v1/messages} answers only a
 * live token it issued.
 *
 * <pre>{@code
 * try (OidcIssuer idp = OidcIssuer.start(); AnthropicEmulator anthropic = AnthropicEmulator.start()) {
 *     String ruleId = anthropic.trust(idp, "system:serviceaccount:prod:*");
 *     // point wif4j at anthropic.baseUrl() with ruleId and anthropic.organizationId()
 * }
 * }</pre>
 *
 * <p>What it checks, in order: the request body (400 {@code invalid_request_error} naming the field), the
 * rule and organization (opaque 401, no history), then the assertion: size (16 KiB), asymmetric
 * algorithm, {@code iss} byte for byte, {@code kid} in the issuer's keys, signature, required {@code sub},
 * {@code iat}, {@code exp}, expiry, {@code nbf} and {@code iat} with 30 s skew, {@code exp - iat} under the
 * issuer's maximum, the rule's matchers, service account, workspace and single-use {@code jti}. Every
 * denial is the same opaque 401 {@code authentication_error}; the reason is in {@link #history()}, as in
 * the Console. Minted lifetime: {@code min(rule, 2 × remaining JWT life)}, at least 60 s.
 *
 * <p>Thread-safe. Discovery and JWKS fetches go to loopback addresses only.
 */
public final class AnthropicEmulator extends LoopbackEmulator {

    /** The grant type of a federation exchange. */
    public static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    /** The beta a request must carry to use a bearer token on the Messages API. */
    public static final String OAUTH_BETA = "oauth-2025-04-20";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SKEW = Duration.ofSeconds(30);
    private static final int MAX_ASSERTION_BYTES = 16 * 1024;
    private static final Pattern RULE_ID = Pattern.compile("fdrl_[A-Za-z0-9]+");
    private static final Pattern WORKSPACE_ID = Pattern.compile("wrkspc_[A-Za-z0-9]+|default");
    private static final Pattern UUID_FORMAT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Set<JWSAlgorithm> ASYMMETRIC = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
            JWSAlgorithm.ES384, JWSAlgorithm.ES512);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Clock clock;
    private final String organizationId;
    private final Duration jwksCacheTtl;
    private final JwksFetcher fetcher = new JwksFetcher();
    private final Map<String, FederationIssuer> issuers = new ConcurrentHashMap<>();
    private final Map<String, FederationRule> rules = new ConcurrentHashMap<>();
    private final Map<String, CachedKeys> keyCache = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> usedJwtIds = new ConcurrentHashMap<>();
    private final Map<String, Issued> issued = new ConcurrentHashMap<>();
    private final List<Decision> history = new CopyOnWriteArrayList<>();
    private final RequestLog tokenLog = log();
    private final RequestLog messageLog = endpointLog();
    private final AtomicInteger requestCounter = new AtomicInteger();
    private final AtomicInteger tokensIssued = new AtomicInteger();
    private final AtomicInteger messagesRequests = new AtomicInteger();
    /** The client end of every connection that asked for a token or a message. */
    private final Set<InetSocketAddress> clients = ConcurrentHashMap.newKeySet();
    private final SelfSignedTls tls;

    private record CachedKeys(JWKSet keys, Instant fetchedAt) {
    }

    private record Issued(String ruleId, String scope, Instant expiresAt) {
    }

    /** Why an assertion was denied: the reason goes to the history, the client sees an opaque 401. */
    private static final class Denied extends Exception {
        private static final long serialVersionUID = 1L;
        private final String reason;

        Denied(String reason) {
            super(reason, null, false, false);
            this.reason = reason;
        }
    }

    /** A malformed request: a 400 whose message names the problem. */
    private static final class BadRequest extends Exception {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message, null, false, false);
        }
    }

    private AnthropicEmulator(Builder b) {
        this(b, b.https ? SelfSignedTls.generate() : null);
    }

    private AnthropicEmulator(Builder b, SelfSignedTls tls) {
        super("anthropic-emulator", 0, tls == null ? null : tls.serverContext());
        this.tls = tls;
        this.clock = b.clock;
        this.organizationId = b.organizationId;
        this.jwksCacheTtl = b.jwksCacheTtl;
        route("/v1/oauth/token", this::handleToken);
        route("/v1/messages", this::handleMessages);
        serve();
    }

    /**
     * Starts an emulator on a free port, on the system clock, with a random organization id.
     *
     * @return the running emulator; close it when done
     */
    public static AnthropicEmulator start() {
        return builder().start();
    }

    /** @return a builder for an emulator with another clock, organization or JWKS cache */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The variables that point wif4j here: {@code ANTHROPIC_BASE_URL} and {@code ANTHROPIC_ORGANIZATION_ID}
     * (a federation rule id comes from {@link #trust} or {@link #addRule}).
     *
     * @return the variables, in a new map
     */
    @Override
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ANTHROPIC_BASE_URL", baseUrl());
        env.put("ANTHROPIC_ORGANIZATION_ID", organizationId);
        return env;
    }

    /** @return the organization id requests must carry */
    public String organizationId() {
        return organizationId;
    }

    /**
     * Registers a federation issuer.
     *
     * @param issuer the issuer; its key URLs must be on loopback
     * @return its id, {@code fdis_...}
     */
    public String addIssuer(FederationIssuer issuer) {
        Objects.requireNonNull(issuer, "issuer");
        if (issuer.jwksMode() != FederationIssuer.JwksMode.INLINE) {
            JwksFetcher.requireLoopback(issuer.jwksLocation());
        } else {
            inlineKeys(issuer);
        }
        String id = "fdis_" + randomId(20);
        issuers.put(id, issuer);
        return id;
    }

    /**
     * Registers a federation rule, with the Console's validation: the issuer must exist, and at least one
     * of {@code subject_prefix} (not a bare {@code *}) and {@code claims} must be set.
     *
     * @param rule the rule
     * @return its id, {@code fdrl_...}
     */
    public String addRule(FederationRule rule) {
        Objects.requireNonNull(rule, "rule");
        if (!issuers.containsKey(rule.issuerId())) {
            throw new IllegalArgumentException("no issuer " + rule.issuerId() + " is registered");
        }
        boolean subject = rule.subjectPrefix() != null && !rule.subjectPrefix().replace("*", "").isEmpty();
        if (!subject && rule.claims().isEmpty()) {
            throw new IllegalArgumentException("a rule needs subject_prefix (not just '*') or claims; "
                    + "audience alone is rejected");
        }
        String id = "fdrl_" + randomId(24);
        rules.put(id, rule);
        return id;
    }

    /**
     * Registers an {@link OidcIssuer} by discovery and a rule on a subject prefix and the default audience.
     *
     * @param issuer the issuer
     * @param subjectPrefix the rule's {@code subject_prefix}
     * @return the rule id
     */
    public String trust(OidcIssuer issuer, String subjectPrefix) {
        String issuerId = addIssuer(FederationIssuer.of(issuer));
        return addRule(FederationRule.forIssuer(issuerId).subjectPrefix(subjectPrefix)
                .audience(OidcIssuer.DEFAULT_AUDIENCE));
    }

    /**
     * As {@link #trust(OidcIssuer, String)}, with the lifetime of the access tokens the rule issues.
     *
     * @param issuer the issuer
     * @param subjectPrefix the rule's {@code subject_prefix}
     * @param tokenLifetime the rule's token lifetime
     * @return the rule id
     */
    public String trust(OidcIssuer issuer, String subjectPrefix, Duration tokenLifetime) {
        String issuerId = addIssuer(FederationIssuer.of(issuer));
        return addRule(FederationRule.forIssuer(issuerId).subjectPrefix(subjectPrefix)
                .audience(OidcIssuer.DEFAULT_AUDIENCE).tokenLifetime(tokenLifetime));
    }

    /**
     * The environment of a workload set up as wif4j's README shows: {@link #environment()}, a rule that trusts the
     * issuer for the subject ({@code ANTHROPIC_FEDERATION_RULE_ID}, from {@link #trust(OidcIssuer, String)}), and
     * {@code ANTHROPIC_IDENTITY_TOKEN_FILE} naming a file that holds a token the issuer minted for the subject.
     *
     * @param issuer the workload's identity provider
     * @param subject the token's {@code sub}, also the rule's subject prefix
     * @param tokenFile where to write the token; its parent directories are created
     * @return the variables, in a new map
     * @throws UncheckedIOException when the file cannot be written
     */
    public Map<String, String> tokenFileEnvironment(OidcIssuer issuer, String subject, Path tokenFile) {
        Map<String, String> env = environment();
        env.put("ANTHROPIC_FEDERATION_RULE_ID", trust(issuer, subject));
        try {
            Path parent = tokenFile.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(tokenFile, issuer.mint().subject(subject).sign(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the identity token file " + tokenFile, e);
        }
        env.put("ANTHROPIC_IDENTITY_TOKEN_FILE", tokenFile.toString());
        return env;
    }

    /**
     * Queues a fault for the next {@code /v1/messages} request, e.g. a 401 the API returns for a token it
     * no longer accepts.
     *
     * @param fault the fault
     */
    public void enqueueMessages(Fault fault) {
        messageLog.enqueue(fault);
    }

    /** @return every request to {@code /v1/messages}, oldest first */
    public List<RecordedRequest> messageRequests() {
        return messageLog.requests();
    }

    /** @return the authentication history, oldest first */
    public List<Decision> history() {
        return List.copyOf(history);
    }

    /** @return the newest history entry */
    public Decision lastDecision() {
        if (history.isEmpty()) {
            throw new IllegalStateException("no exchange reached rule evaluation yet");
        }
        return history.get(history.size() - 1);
    }

    /** @return every request to {@code /v1/oauth/token}, faulted ones included, oldest first */
    public List<RecordedRequest> tokenRequests() {
        return tokenLog.requests();
    }

    /**
     * The identity tokens sent for exchange: the {@code assertion} of every request to {@code /v1/oauth/token} that
     * carried one as a string, faulted ones included, oldest first. What a provider's test checks the provider
     * sent (or counts as a secret that must never be logged).
     *
     * @return the JWTs, as sent
     */
    public List<String> assertions() {
        List<String> sent = new ArrayList<>();
        for (RecordedRequest r : tokenLog.requests()) {
            try {
                JsonNode assertion = JSON.readTree(r.body()).path("assertion");
                if (assertion.isTextual()) {
                    sent.add(assertion.asText());
                }
            } catch (IOException | RuntimeException e) {
                // A body that is not JSON carried no assertion.
            }
        }
        return List.copyOf(sent);
    }

    /** @return how many requests reached {@code /v1/oauth/token} */
    public int exchangeRequests() {
        return tokenLog.size();
    }

    /** @return how many access tokens were issued */
    public int tokensIssued() {
        return tokensIssued.get();
    }

    /** @return how many requests reached {@code /v1/messages} */
    public int messagesRequests() {
        return messagesRequests.get();
    }

    /**
     * How many client connections sent requests to {@code /v1/oauth/token} or {@code /v1/messages}: requests that
     * share a kept-alive connection (and over https, its one TLS handshake) count once.
     *
     * @return the number of distinct client connections seen
     */
    public int connections() {
        return clients.size();
    }

    /**
     * Calls this emulator's {@code /v1/messages} as a client would with an access token (bearer token,
     * OAuth beta, a one-line prompt), for end-to-end tests that end with a Claude call.
     *
     * @param token the access token
     * @return the HTTP status: 200 for a live token this emulator issued
     */
    public int callMessages(AccessToken token) {
        HttpClient client = HttpClient.newBuilder()
                .proxy(HttpClient.Builder.NO_PROXY).build();
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(baseUrl() + "/v1/messages"))
                .header("Authorization", token.authorizationHeaderValue())
                .header("anthropic-beta", OAUTH_BETA)
                .header("anthropic-version", "2023-06-01")
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"claude-sonnet-4-5\","
                        + "\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}"))
                .build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach " + baseUrl() + "/v1/messages", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Revokes an access token: the Messages API then answers it with a 401.
     *
     * @param accessToken the token
     * @return whether it was live
     */
    public boolean revoke(String accessToken) {
        return issued.remove(accessToken) != null;
    }

    /** Revokes every access token issued so far. */
    public void revokeAll() {
        issued.clear();
    }

    @Override
    String details() {
        return "organization " + organizationId;
    }

    // ---- /v1/oauth/token ------------------------------------------------------------------------

    private void handleToken(HttpExchange exchange) throws IOException {
        clients.add(exchange.getRemoteAddress());
        String body = new String(tokenLog.receive(exchange), StandardCharsets.UTF_8);
        String requestId = "req_emu_" + requestCounter.incrementAndGet();
        if (tokenLog.playFault(exchange, requestId)) {
            return;
        }
        if (!"POST".equals(exchange.getRequestMethod())) {
            error(exchange, 405, "not_found_error", "Use POST for /v1/oauth/token", requestId);
            return;
        }
        ObjectNode request;
        try {
            request = parseRequest(body);
        } catch (BadRequest e) {
            error(exchange, 400, "invalid_request_error", e.getMessage(), requestId);
            return;
        }
        String ruleId = request.get("federation_rule_id").asText();
        FederationRule rule = rules.get(ruleId);
        if (rule == null || !organizationId.equalsIgnoreCase(request.get("organization_id").asText())) {
            // Unknown rule, or a rule of another organization: merged, to prevent enumeration; no history.
            error(exchange, 401, "authentication_error", "Authentication failed", requestId);
            return;
        }
        String assertion = request.get("assertion").asText();
        JWTClaimsSet claims = null;
        try {
            claims = verify(assertion, rule);
            Instant now = clock.instant();
            String subject = claims.getSubject();
            check(matchesSubject(rule.subjectPrefix(), subject), "match_subject_prefix");
            check(rule.audience() == null || claims.getAudience().contains(rule.audience()), "match_audience");
            for (Map.Entry<String, String> c : rule.claims().entrySet()) {
                Object value = claims.getClaim(c.getKey());
                check(value instanceof String s && s.equals(c.getValue()), "match_claims");
            }
            JsonNode account = request.get("service_account_id");
            check(account == null || account.asText().equals(rule.serviceAccountId()), "service_account_mismatch");
            String workspace = workspace(request.get("workspace_id"), rule);
            if (claims.getJWTID() != null && issuers.get(rule.issuerId()).checkJti()) {
                Set<String> used = usedJwtIds.computeIfAbsent(rule.issuerId(), k -> ConcurrentHashMap.newKeySet());
                check(used.add(claims.getJWTID()), "jti_reused");
            }
            long remaining = Duration.between(now, claims.getExpirationTime().toInstant()).toSeconds();
            long lifetime = Math.max(60, Math.min(rule.tokenLifetime().toSeconds(), 2 * remaining));
            String token = "sk-ant-oat01-" + randomId(48);
            issued.put(token, new Issued(ruleId, rule.scope(), now.plusSeconds(lifetime)));
            tokensIssued.incrementAndGet();
            history.add(new Decision(now, ruleId, true, "ok", claims.getIssuer(), subject, claims.getJWTID(),
                    requestId));
            ObjectNode ok = JSON.createObjectNode();
            ok.put("access_token", token);
            ok.put("token_type", "Bearer");
            ok.put("expires_in", lifetime);
            ok.put("scope", rule.scope());
            if (workspace != null) {
                ok.put("workspace_id", workspace);
            }
            LoopbackServer.send(exchange, 200, "application/json", ok.toString(), Map.of("request-id", requestId));
        } catch (Denied e) {
            history.add(new Decision(clock.instant(), ruleId, false, e.reason,
                    claims == null ? peek(assertion, "iss") : claims.getIssuer(),
                    claims == null ? peek(assertion, "sub") : claims.getSubject(),
                    claims == null ? peek(assertion, "jti") : claims.getJWTID(), requestId));
            error(exchange, 401, "authentication_error", "Authentication failed", requestId);
        }
    }

    private static ObjectNode parseRequest(String body) throws BadRequest {
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (IOException e) {
            throw new BadRequest("The request body is not valid JSON.");
        }
        if (node == null || !node.isObject()) {
            throw new BadRequest("The request body must be a JSON object.");
        }
        ObjectNode request = (ObjectNode) node;
        for (String field : List.of("grant_type", "assertion", "federation_rule_id", "organization_id")) {
            JsonNode value = request.get(field);
            if (value == null || !value.isTextual() || value.asText().isEmpty()) {
                throw new BadRequest(field + ": Field required");
            }
        }
        if (!JWT_BEARER.equals(request.get("grant_type").asText())) {
            throw new BadRequest("grant_type: unsupported grant_type '" + request.get("grant_type").asText() + "'");
        }
        if (!RULE_ID.matcher(request.get("federation_rule_id").asText()).matches()) {
            throw new BadRequest("federation_rule_id: expected a federation rule ID (fdrl_...)");
        }
        if (!UUID_FORMAT.matcher(request.get("organization_id").asText()).matches()) {
            throw new BadRequest("organization_id: expected an organization UUID");
        }
        JsonNode workspace = request.get("workspace_id");
        if (workspace != null && !(workspace.isTextual() && WORKSPACE_ID.matcher(workspace.asText()).matches())) {
            throw new BadRequest("workspace_id: expected a workspace ID (wrkspc_...) or 'default'");
        }
        JsonNode account = request.get("service_account_id");
        if (account != null && !(account.isTextual() && account.asText().startsWith("svac_"))) {
            throw new BadRequest("service_account_id: expected a service account ID (svac_...)");
        }
        if (request.get("assertion").asText().getBytes(StandardCharsets.UTF_8).length > MAX_ASSERTION_BYTES) {
            throw new BadRequest("assertion: must be at most 16 KiB");
        }
        return request;
    }

    private JWTClaimsSet verify(String assertion, FederationRule rule) throws Denied {
        JWT jwt;
        try {
            jwt = JWTParser.parse(assertion);
        } catch (ParseException e) {
            throw new Denied("malformed_token");
        }
        if (!(jwt instanceof SignedJWT signed) || !ASYMMETRIC.contains(signed.getHeader().getAlgorithm())) {
            throw new Denied("unsupported_algorithm");
        }
        JWTClaimsSet claims;
        try {
            claims = signed.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new Denied("malformed_token");
        }
        FederationIssuer issuer = issuers.get(rule.issuerId());
        check(issuer.issuerUrl().equals(claims.getIssuer()), "issuer_mismatch");
        String kid = signed.getHeader().getKeyID();
        check(kid != null, "missing_kid");
        JWK key = key(rule.issuerId(), issuer, kid);
        try {
            JWSVerifier verifier = key instanceof ECKey ec ? new ECDSAVerifier(ec.toECPublicKey())
                    : new RSASSAVerifier(((RSAKey) key).toRSAPublicKey());
            check(signed.verify(verifier), "signature_invalid");
        } catch (JOSEException | ClassCastException e) {
            throw new Denied("signature_invalid");
        }
        check(claims.getSubject() != null && !claims.getSubject().isEmpty(), "missing_sub");
        check(claims.getIssueTime() != null, "missing_iat");
        check(claims.getExpirationTime() != null, "missing_exp");
        Instant now = clock.instant();
        check(claims.getExpirationTime().toInstant().plus(SKEW).isAfter(now), "token_expired");
        Date nbf = claims.getNotBeforeTime();
        check(nbf == null || !nbf.toInstant().minus(SKEW).isAfter(now), "token_not_yet_valid");
        check(!claims.getIssueTime().toInstant().minus(SKEW).isAfter(now), "iat_in_future");
        Duration spread = Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant());
        check(spread.compareTo(issuer.maxJwtLifetime()) <= 0, "lifetime_exceeds_maximum");
        return claims;
    }

    private JWK key(String issuerId, FederationIssuer issuer, String kid) throws Denied {
        if (issuer.jwksMode() == FederationIssuer.JwksMode.INLINE) {
            JWK key = inlineKeys(issuer).getKeyByKeyId(kid);
            check(key != null, "unknown_kid");
            return key;
        }
        CachedKeys cached = keyCache.get(issuerId);
        Instant now = clock.instant();
        boolean stale = cached == null || !cached.fetchedAt().plus(jwksCacheTtl).isAfter(now);
        if (cached != null && cached.keys().getKeyByKeyId(kid) != null && !stale) {
            return cached.keys().getKeyByKeyId(kid);
        }
        if (stale) {
            try {
                JWKSet keys = issuer.jwksMode() == FederationIssuer.JwksMode.DISCOVERY
                        ? fetcher.discover(issuer.jwksLocation()) : fetcher.fetch(issuer.jwksLocation());
                cached = new CachedKeys(keys, now);
                keyCache.put(issuerId, cached);
            } catch (IOException | IllegalArgumentException e) {
                throw new Denied("jwks_unavailable");
            }
        }
        JWK key = cached.keys().getKeyByKeyId(kid);
        check(key != null, "unknown_kid");
        return key;
    }

    private static JWKSet inlineKeys(FederationIssuer issuer) {
        String json = issuer.jwksLocation().trim();
        try {
            return JWKSet.parse(json.startsWith("[") ? "{\"keys\":" + json + "}" : json);
        } catch (ParseException e) {
            throw new IllegalArgumentException("inline keys are not a JWK array: " + e.getMessage(), e);
        }
    }

    private static String workspace(JsonNode requested, FederationRule rule) throws Denied {
        if (requested == null) {
            check(!rule.appliesToAllWorkspaces() && rule.workspaceIds().size() == 1, "workspace_id_required");
            return rule.workspaceIds().get(0);
        }
        String id = requested.asText();
        check(rule.appliesToAllWorkspaces() || rule.workspaceIds().contains(id), "workspace_not_in_rule");
        return id;
    }

    private static boolean matchesSubject(String prefix, String subject) {
        if (prefix == null) {
            return true;
        }
        if (prefix.endsWith("*")) {
            return subject.startsWith(prefix.substring(0, prefix.length() - 1));
        }
        return prefix.equals(subject);
    }

    private static void check(boolean condition, String reason) throws Denied {
        if (!condition) {
            throw new Denied(reason);
        }
    }

    private static String peek(String assertion, String claim) {
        try {
            Object value = JWTParser.parse(assertion).getJWTClaimsSet().getClaim(claim);
            return value == null ? null : String.valueOf(value);
        } catch (ParseException | RuntimeException e) {
            return null;
        }
    }

    // ---- /v1/messages ---------------------------------------------------------------------------

    private void handleMessages(HttpExchange exchange) throws IOException {
        clients.add(exchange.getRemoteAddress());
        messagesRequests.incrementAndGet();
        String requestId = "req_emu_" + requestCounter.incrementAndGet();
        byte[] raw = messageLog.receive(exchange);
        if (messageLog.playFault(exchange, requestId)) {
            return;
        }
        if (!"POST".equals(exchange.getRequestMethod())) {
            error(exchange, 405, "not_found_error", "Use POST for /v1/messages", requestId);
            return;
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            error(exchange, 401, "authentication_error", "x-api-key header is required", requestId);
            return;
        }
        List<String> betas = new ArrayList<>();
        for (String header : exchange.getRequestHeaders().getOrDefault("anthropic-beta", List.of())) {
            for (String beta : header.split(",")) {
                betas.add(beta.trim());
            }
        }
        if (!betas.contains(OAUTH_BETA)) {
            error(exchange, 401, "authentication_error", "OAuth authentication is currently not supported.",
                    requestId);
            return;
        }
        Issued token = issued.get(authorization.substring("Bearer ".length()).trim());
        if (token == null || !token.expiresAt().isAfter(clock.instant())) {
            error(exchange, 401, "authentication_error", "Invalid bearer token", requestId);
            return;
        }
        if (!token.scope().equals("workspace:developer") && !token.scope().equals("workspace:inference")) {
            error(exchange, 403, "permission_error", "The token's scope " + token.scope()
                    + " does not allow the Messages API", requestId);
            return;
        }
        JsonNode request;
        try {
            request = JSON.readTree(raw);
        } catch (IOException e) {
            error(exchange, 400, "invalid_request_error", "The request body is not valid JSON.", requestId);
            return;
        }
        if (request == null || !request.hasNonNull("model") || !request.path("messages").isArray()
                || request.path("messages").isEmpty()) {
            error(exchange, 400, "invalid_request_error", "model and messages: Field required", requestId);
            return;
        }
        String model = request.get("model").asText();
        String text = "Hello from the Anthropic emulator.";
        String id = "msg_emu_" + randomId(16);
        if (request.path("stream").asBoolean(false)) {
            stream(exchange, id, model, text, requestId);
            return;
        }
        ObjectNode message = message(id, model);
        message.putArray("content").addObject().put("type", "text").put("text", text);
        message.put("stop_reason", "end_turn");
        message.putNull("stop_sequence");
        message.putObject("usage").put("input_tokens", 8).put("output_tokens", 7);
        LoopbackServer.send(exchange, 200, "application/json", message.toString(), Map.of("request-id", requestId));
    }

    private static ObjectNode message(String id, String model) {
        ObjectNode message = JSON.createObjectNode();
        message.put("id", id);
        message.put("type", "message");
        message.put("role", "assistant");
        message.put("model", model);
        return message;
    }

    private static void stream(HttpExchange exchange, String id, String model, String text, String requestId)
            throws IOException {
        ObjectNode start = JSON.createObjectNode().put("type", "message_start");
        ObjectNode message = message(id, model);
        message.putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        message.putObject("usage").put("input_tokens", 8).put("output_tokens", 1);
        start.set("message", message);
        ObjectNode blockStart = JSON.createObjectNode().put("type", "content_block_start").put("index", 0);
        blockStart.putObject("content_block").put("type", "text").put("text", "");
        StringBuilder sse = new StringBuilder();
        event(sse, "message_start", start);
        event(sse, "content_block_start", blockStart);
        for (String word : text.split("(?<= )")) {
            ObjectNode delta = JSON.createObjectNode().put("type", "content_block_delta").put("index", 0);
            delta.putObject("delta").put("type", "text_delta").put("text", word);
            event(sse, "content_block_delta", delta);
        }
        event(sse, "content_block_stop", JSON.createObjectNode().put("type", "content_block_stop").put("index", 0));
        ObjectNode messageDelta = JSON.createObjectNode().put("type", "message_delta");
        messageDelta.putObject("delta").put("stop_reason", "end_turn").putNull("stop_sequence");
        messageDelta.putObject("usage").put("output_tokens", 7);
        event(sse, "message_delta", messageDelta);
        event(sse, "message_stop", JSON.createObjectNode().put("type", "message_stop"));
        LoopbackServer.send(exchange, 200, "text/event-stream", sse.toString(), Map.of("request-id", requestId));
    }

    private static void event(StringBuilder sse, String name, ObjectNode data) {
        sse.append("event: ").append(name).append('\n').append("data: ").append(data).append("\n\n");
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static void error(HttpExchange exchange, int status, String type, String message, String requestId)
            throws IOException {
        ObjectNode body = JSON.createObjectNode().put("type", "error");
        body.putObject("error").put("type", type).put("message", message);
        body.put("request_id", requestId);
        LoopbackServer.send(exchange, status, "application/json", body.toString(), Map.of("request-id", requestId));
    }

    private static String randomId(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).replace("-", "x").replace("_", "y");
        return encoded.substring(0, length);
    }

    /**
     * The certificate an emulator built with {@link Builder#https()} presents, to put in a client's trust store
     * (a JKS file given with {@code javax.net.ssl.trustStore}, say).
     *
     * @return the self-signed certificate for {@code localhost} and {@code 127.0.0.1}
     * @throws IllegalStateException when this emulator speaks plain http
     */
    public X509Certificate certificate() {
        if (tls == null) {
            throw new IllegalStateException("this emulator speaks plain http: build it with https()");
        }
        return tls.certificate();
    }

    /** Configures an {@link AnthropicEmulator} before it starts. */
    public static final class Builder extends LoopbackEmulator.Builder<Builder, AnthropicEmulator> {
        private String organizationId = UUID.randomUUID().toString();
        private Duration jwksCacheTtl = Duration.ofMinutes(1);
        private boolean https;

        private Builder() {
        }

        /**
         * Serves https on {@code https://127.0.0.1:<port>} with a self-signed certificate made for this emulator
         * ({@link AnthropicEmulator#certificate()}); needs BouncyCastle, an optional dependency of the testkit.
         *
         * @return this builder
         */
        public Builder https() {
            this.https = true;
            return this;
        }

        /**
         * @param organizationId the organization UUID requests must carry
         * @return this builder
         */
        public Builder organizationId(String organizationId) {
            if (!UUID_FORMAT.matcher(organizationId).matches()) {
                throw new IllegalArgumentException("an organization id is a UUID, not " + organizationId);
            }
            this.organizationId = organizationId;
            return this;
        }

        /**
         * Sets how long fetched keys are trusted before a miss refetches them (default one minute, as
         * Anthropic's cache: a freshly rotated key can fail for that long).
         *
         * @param ttl the cache lifetime; zero refetches on every unknown {@code kid}
         * @return this builder
         */
        public Builder jwksCacheTtl(Duration ttl) {
            this.jwksCacheTtl = Objects.requireNonNull(ttl, "ttl");
            return this;
        }

        @Override
        public AnthropicEmulator start() {
            return new AnthropicEmulator(this);
        }
    }
}
