package dev.wif4j.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import dev.wif4j.testkit.internal.Exchanges;
import dev.wif4j.testkit.internal.LoopbackServer;
import dev.wif4j.testkit.internal.OAuthError;
import dev.wif4j.testkit.internal.RequestLog;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The Google Cloud metadata server on 127.0.0.1, as a Cloud Run service, a Compute Engine VM or a GKE pod with
 * Workload Identity reaches it through {@code GCE_METADATA_HOST}; and Google's OAuth token endpoint for
 * service-account keys.
 *
 * <ul>
 *   <li>{@code GET /computeMetadata/v1/instance/service-accounts/default/identity?audience=..&format=..&licenses=..}
 *       answers a JWT signed by the emulator's {@link OidcIssuer} with Google's claims: {@code iss}
 *       {@value #GOOGLE_ISSUER}, {@code aud}, {@code azp} and {@code sub} (the service account's numeric unique
 *       id); with {@code format=full} also {@code email}, {@code email_verified} and
 *       {@code google.compute_engine.{project_id, project_number, zone, instance_id, instance_name,
 *       instance_creation_timestamp}} ({@code license_id} too with {@code licenses=TRUE}).</li>
 *   <li>{@code /computeMetadata/v1/} (the root a probe asks), {@code .../service-accounts/default/email},
 *       {@code .../service-accounts/default/?recursive=true}, {@code /project/project-id},
 *       {@code /universe/universe-domain}.</li>
 *   <li>Every {@code /computeMetadata} request must carry {@code Metadata-Flavor: Google} (else 403, as the real
 *       server does), and every answer carries it, queued faults included, unless
 *       {@link #answerWithoutMetadataFlavor(boolean)} makes the emulator act like a proxy in the way.</li>
 *   <li>{@code POST /token}: the OAuth endpoint of {@link #serviceAccountKeyJson()}; it checks the key's signed
 *       assertion and answers {@code {"id_token": ...}} for its {@code target_audience}.</li>
 * </ul>
 *
 * <p>Knobs: {@link #enqueue(Fault)} for the next metadata request ({@code Fault.status(404, "")} as for a VM with
 * no service account, {@code Fault.status(503, "")}, {@code Fault.delay(...)} for a slow answer,
 * {@code Fault.disconnect()}). Register the issuer at Anthropic with
 * {@code FederationIssuer.explicitUrl(GcpMetadataEmulator.GOOGLE_ISSUER, gcp.issuer().jwksUri())}. Thread-safe.
 */
public final class GcpMetadataEmulator extends LoopbackEmulator {

    /** The {@code iss} of every Google identity token. */
    public static final String GOOGLE_ISSUER = "https://accounts.google.com";
    /** The header the metadata server requires and answers with. */
    public static final String METADATA_FLAVOR = "Metadata-Flavor";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROOT = "/computeMetadata/v1/";
    private static final String ACCOUNT = ROOT + "instance/service-accounts/default/";

    private final OidcIssuer issuer;
    private final String projectId;
    private final String projectNumber;
    private final String zone;
    private final String instanceName;
    private final String instanceId;
    private final String email;
    private final String uniqueId;
    private volatile RSAKey serviceAccountKey;
    private volatile boolean withoutFlavor;

    private GcpMetadataEmulator(Builder b) {
        super("gcp-metadata-emulator");
        this.issuer = own(OidcIssuer.builder().clock(b.clock).start());
        this.projectId = b.projectId;
        this.projectNumber = b.projectNumber;
        this.zone = b.zone;
        this.instanceName = b.instanceName;
        this.instanceId = b.instanceId;
        this.email = b.email != null ? b.email : "app@" + b.projectId + ".iam.gserviceaccount.com";
        this.uniqueId = b.uniqueId;
        route("/computeMetadata", this::metadata);
        route("/token", this::token);
        serve();
    }

    /**
     * Starts an emulator for the VM {@code vm-1} of project {@code acme-prod} in {@code europe-west1-b}, whose
     * default service account is {@code app@acme-prod.iam.gserviceaccount.com}.
     *
     * @return the running emulator; close it when done
     */
    public static GcpMetadataEmulator start() {
        return builder().start();
    }

    /** @return a builder for another project, zone, instance or service account */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the issuer whose keys sign the tokens (their {@code iss} is {@value #GOOGLE_ISSUER}) */
    public OidcIssuer issuer() {
        return issuer;
    }

    /** @return {@code 127.0.0.1:<port>}, the value for {@code GCE_METADATA_HOST} */
    public String host() {
        return "127.0.0.1:" + boundPort();
    }

    /** @return the variables of a workload that uses this metadata server: {@code GCE_METADATA_HOST} */
    @Override
    public Map<String, String> environment() {
        return Map.of("GCE_METADATA_HOST", host());
    }

    /** @return the default service account's email, the {@code email} claim */
    public String serviceAccountEmail() {
        return email;
    }

    /** @return the default service account's numeric unique id, the {@code sub} claim */
    public String serviceAccountUniqueId() {
        return uniqueId;
    }

    /** @return the project id, {@code google.compute_engine.project_id} */
    public String projectId() {
        return projectId;
    }

    /**
     * A service-account key file as {@code gcloud iam service-accounts keys create} writes it, for the same
     * service account, whose {@code token_uri} is this emulator's {@code /token}.
     *
     * @return the key file's JSON
     */
    public String serviceAccountKeyJson() {
        ObjectNode key = JSON.createObjectNode();
        key.put("type", "service_account");
        key.put("project_id", projectId);
        key.put("private_key_id", serviceAccountKey().getKeyID());
        key.put("private_key", privateKeyPem());
        key.put("client_email", email);
        key.put("client_id", uniqueId);
        key.put("auth_uri", "https://accounts.google.com/o/oauth2/auth");
        key.put("token_uri", baseUrl() + "/token");
        key.put("universe_domain", "googleapis.com");
        return key.toPrettyString();
    }

    /**
     * Queues a fault for the next {@code /computeMetadata} or {@code /token} request. Canned answers carry
     * {@code Metadata-Flavor: Google} like every other answer, unless the emulator answers without it.
     *
     * @param fault the fault
     */
    @Override
    public void enqueue(Fault fault) {
        super.enqueue(fault);
    }

    /**
     * Answers without the {@code Metadata-Flavor: Google} response header (and without checking the request's),
     * as an HTTP proxy or a captive portal in front of the metadata address would.
     *
     * @param on whether to leave the header out
     */
    public void answerWithoutMetadataFlavor(boolean on) {
        this.withoutFlavor = on;
    }

    @Override
    String details() {
        return email;
    }

    /** The key is made on first use: RSA key generation is slow, and most tests never need one. */
    private RSAKey serviceAccountKey() {
        RSAKey key = serviceAccountKey;
        if (key == null) {
            synchronized (this) {
                key = serviceAccountKey;
                if (key == null) {
                    try {
                        key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString().replace("-", "")).generate();
                    } catch (JOSEException e) {
                        throw new IllegalStateException("cannot generate a service-account key", e);
                    }
                    serviceAccountKey = key;
                }
            }
        }
        return key;
    }

    private String privateKeyPem() {
        try {
            byte[] pkcs8 = serviceAccountKey().toPrivateKey().getEncoded();
            return "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pkcs8)
                    + "\n-----END PRIVATE KEY-----\n";
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, String> flavor() {
        return withoutFlavor ? Map.of() : Map.of(METADATA_FLAVOR, "Google");
    }

    private boolean playFault(HttpExchange exchange) throws IOException {
        Fault fault = log().nextFault();
        if (fault == null) {
            return false;
        }
        if (!withoutFlavor && fault.kind() != Fault.Kind.DELAY && fault.kind() != Fault.Kind.DISCONNECT) {
            fault = fault.withHeader(METADATA_FLAVOR, "Google");
        }
        return Exchanges.serve(exchange, fault, null);
    }

    private void metadata(HttpExchange exchange) throws IOException {
        log().receive(exchange);
        if (playFault(exchange)) {
            return;
        }
        URI uri = exchange.getRequestURI();
        String path = uri.getPath();
        if (!withoutFlavor && !"Google".equals(exchange.getRequestHeaders().getFirst(METADATA_FLAVOR))) {
            // The real server's answer to a request without the header.
            LoopbackServer.send(exchange, 403, "text/html; charset=UTF-8",
                    "Missing Metadata-Flavor:Google header.", flavor());
            return;
        }
        if (!"GET".equals(exchange.getRequestMethod())) {
            LoopbackServer.send(exchange, 405, "text/html", "Method not allowed", flavor());
            return;
        }
        Map<String, String> query = query(uri);
        switch (path) {
            case ROOT -> text(exchange, "instance/\noauth2/\nproject/\n");
            case ACCOUNT + "identity" -> identity(exchange, query);
            case ACCOUNT + "email" -> text(exchange, email);
            case ACCOUNT -> {
                if ("true".equalsIgnoreCase(query.get("recursive"))) {
                    ObjectNode account = JSON.createObjectNode();
                    account.putArray("aliases").add("default");
                    account.put("email", email);
                    account.putArray("scopes").add("https://www.googleapis.com/auth/cloud-platform");
                    LoopbackServer.send(exchange, 200, "application/json", account.toString(), flavor());
                } else {
                    text(exchange, "aliases\nemail\nidentity\nscopes\ntoken\n");
                }
            }
            case ROOT + "project/project-id" -> text(exchange, projectId);
            case ROOT + "project/numeric-project-id" -> text(exchange, projectNumber);
            case ROOT + "instance/zone" -> text(exchange, "projects/" + projectNumber + "/zones/" + zone);
            case ROOT + "universe/universe-domain" -> text(exchange, "googleapis.com");
            default -> LoopbackServer.send(exchange, 404, "text/html; charset=UTF-8", "Not Found", flavor());
        }
    }

    private void identity(HttpExchange exchange, Map<String, String> query) throws IOException {
        String audience = query.getOrDefault("audience", "");
        if (audience.isBlank()) {
            LoopbackServer.send(exchange, 400, "text/plain", "non-empty audience parameter required", flavor());
            return;
        }
        String format = query.getOrDefault("format", "standard");
        if (!"standard".equals(format) && !"full".equals(format)) {
            LoopbackServer.send(exchange, 400, "text/plain", "format must be one of standard or full", flavor());
            return;
        }
        OidcIssuer.TokenBuilder token = issuer.mint()
                .issuer(GOOGLE_ISSUER)
                .subject(uniqueId)
                .audience(audience)
                .claim("azp", uniqueId)
                .without("nbf")
                .lifetime(Duration.ofHours(1));
        if ("full".equals(format)) {
            Map<String, Object> computeEngine = new LinkedHashMap<>();
            computeEngine.put("instance_creation_timestamp", 1_700_000_000L);
            computeEngine.put("instance_id", instanceId);
            computeEngine.put("instance_name", instanceName);
            computeEngine.put("project_id", projectId);
            computeEngine.put("project_number", Long.parseLong(projectNumber));
            computeEngine.put("zone", zone);
            if ("true".equalsIgnoreCase(query.get("licenses"))) {
                computeEngine.put("license_id", List.of("1000201"));
            }
            token.claim("email", email).claim("email_verified", true)
                    .claim("google", Map.of("compute_engine", computeEngine));
        }
        LoopbackServer.send(exchange, 200, "text/html; charset=UTF-8", token.sign(), flavor());
    }

    private void token(HttpExchange exchange) throws IOException {
        byte[] body = log().receive(exchange);
        if (playFault(exchange)) {
            return;
        }
        Map<String, String> form = Exchanges.form(new String(body, StandardCharsets.UTF_8));
        if (!"POST".equals(exchange.getRequestMethod())
                || !"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(form.get("grant_type"))) {
            oauthError(exchange, "unsupported_grant_type", "Invalid grant_type");
            return;
        }
        JWTClaimsSet claims;
        try {
            SignedJWT assertion = SignedJWT.parse(form.getOrDefault("assertion", ""));
            if (!assertion.verify(new RSASSAVerifier(serviceAccountKey().toRSAPublicKey()))) {
                oauthError(exchange, "invalid_grant", "Invalid JWT Signature.");
                return;
            }
            claims = assertion.getJWTClaimsSet();
        } catch (ParseException | JOSEException e) {
            oauthError(exchange, "invalid_grant", "Invalid JWT: " + e.getMessage());
            return;
        }
        Object target = claims.getClaim("target_audience");
        if (!email.equals(claims.getIssuer()) || !(target instanceof String audience) || audience.isBlank()) {
            oauthError(exchange, "invalid_request", "an ID token needs iss = client_email and a target_audience");
            return;
        }
        String idToken = issuer.mint()
                .issuer(GOOGLE_ISSUER)
                .subject(uniqueId)
                .audience(audience)
                .claim("azp", email)
                .claim("email", email)
                .claim("email_verified", true)
                .without("nbf")
                .lifetime(Duration.ofHours(1))
                .sign();
        LoopbackServer.send(exchange, 200, "application/json",
                JSON.createObjectNode().put("id_token", idToken).toString(), Map.of());
    }

    private static void oauthError(HttpExchange exchange, String error, String description) throws IOException {
        OAuthError.of(error, description).send(exchange, 400, OAuthError.JSON);
    }

    private void text(HttpExchange exchange, String body) throws IOException {
        LoopbackServer.send(exchange, 200, "application/text", body, flavor());
    }

    private static Map<String, String> query(URI uri) {
        return Exchanges.form(uri.getRawQuery());
    }

    /** Configures a {@link GcpMetadataEmulator}. */
    public static final class Builder extends LoopbackEmulator.Builder<Builder, GcpMetadataEmulator> {
        private String projectId = "acme-prod";
        private String projectNumber = "123456789012";
        private String zone = "europe-west1-b";
        private String instanceName = "vm-1";
        private String instanceId = "4242424242424242424";
        private String email;
        private String uniqueId = "109876543210987654321";

        private Builder() {
        }

        /**
         * @param projectId the project id; the default service account's email follows it unless set
         * @return this builder
         */
        public Builder projectId(String projectId) {
            this.projectId = Objects.requireNonNull(projectId);
            return this;
        }

        /**
         * @param zone e.g. {@code us-central1-a}
         * @return this builder
         */
        public Builder zone(String zone) {
            this.zone = Objects.requireNonNull(zone);
            return this;
        }

        /**
         * @param name the VM's name, {@code google.compute_engine.instance_name}
         * @return this builder
         */
        public Builder instanceName(String name) {
            this.instanceName = Objects.requireNonNull(name);
            return this;
        }

        /**
         * @param email the default service account's email
         * @param uniqueId its numeric unique id ({@code gcloud iam service-accounts describe ... --format='value(uniqueId)'})
         * @return this builder
         */
        public Builder serviceAccount(String email, String uniqueId) {
            if (!uniqueId.matches("[0-9]{1,30}")) {
                throw new IllegalArgumentException("a unique id is numeric, not " + uniqueId);
            }
            this.email = Objects.requireNonNull(email);
            this.uniqueId = uniqueId;
            return this;
        }

        @Override
        public GcpMetadataEmulator start() {
            return new GcpMetadataEmulator(this);
        }
    }
}
