package dev.wif4j.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.wif4j.testkit.internal.EntraTokens;
import dev.wif4j.testkit.internal.LoopbackServer;
import dev.wif4j.testkit.internal.OAuthError;
import dev.wif4j.testkit.internal.RequestLog;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Azure's managed-identity endpoints on 127.0.0.1: the VM/VMSS Instance Metadata Service (IMDS) and the App
 * Service / Functions / Container Apps identity endpoint, both answering Entra access tokens signed by the
 * emulator's {@link OidcIssuer}.
 *
 * <ul>
 *   <li>IMDS: {@code GET /metadata/identity/oauth2/token?api-version=2018-02-01&resource=..} with header
 *       {@code Metadata: true} (else 400, as IMDS does), and optionally {@code client_id}, {@code object_id} or
 *       {@code msi_res_id}/{@code mi_res_id} for a user-assigned identity. Point Azure Identity at it with
 *       {@link #imdsEnvironment()} ({@code AZURE_POD_IDENTITY_AUTHORITY_HOST}).</li>
 *   <li>App Service: {@code GET /msi/token?api-version=2019-08-01&resource=..} with header
 *       {@code X-IDENTITY-HEADER} equal to {@link #identityHeader()} (else 401), and optionally
 *       {@code client_id}, {@code principal_id}/{@code object_id} or {@code mi_res_id}. Its variables are
 *       {@link #appServiceEnvironment()} ({@code IDENTITY_ENDPOINT}, {@code IDENTITY_HEADER}).</li>
 * </ul>
 *
 * <p>Tokens carry {@code iss} {@code https://login.microsoftonline.com/<tid>/v2.0}, {@code aud} the app id of
 * an {@code api://<app id>} resource, {@code sub} = {@code oid} the identity's object id, {@code tid},
 * {@code azp} the identity's client id, {@code ver} {@code 2.0}, a random {@code uti}, and a 24-hour lifetime;
 * {@link Builder#tokenVersion(int) tokenVersion(1)} gives the v1.0 shape ({@code iss}
 * {@code https://sts.windows.net/<tid>/}, {@code appid}). Register the issuer at Anthropic with
 * {@code FederationIssuer.explicitUrl(emulator.issuerUrl(), emulator.issuer().jwksUri())}.
 *
 * <p>Knobs: {@link #enqueue(Fault)} for the next token request on either endpoint ({@code Fault.status(429,..)},
 * {@code 410} as IMDS answers while it starts, {@code 404}, {@code 500}, {@code Fault.delay(..)}); an identity
 * that is not assigned answers 400 {@code Identity not found}; a resource outside
 * {@link Builder#applications(String...)} answers 400 {@code AADSTS500011}. Thread-safe.
 */
public final class AzureManagedIdentityEmulator extends LoopbackEmulator {

    /** The IMDS token path. */
    public static final String IMDS_PATH = "/metadata/identity/oauth2/token";
    /** The App Service identity endpoint's path on this emulator. */
    public static final String APP_SERVICE_PATH = "/msi/token";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One managed identity: its client (application) id, object (principal) id and ARM resource id. */
    private record Identity(String clientId, String objectId, String resourceId) {
    }

    private final OidcIssuer issuer;
    private final Clock clock;
    private final String tenantId;
    private final Identity systemAssigned;
    private final List<Identity> userAssigned;
    private final Set<String> applications;
    private final int tokenVersion;
    private final String identityHeader = UUID.randomUUID().toString();

    private AzureManagedIdentityEmulator(Builder b) {
        super("azure-mi-emulator");
        this.clock = b.clock;
        this.issuer = own(OidcIssuer.builder().clock(b.clock).start());
        this.tenantId = b.tenantId;
        this.systemAssigned = b.systemAssigned;
        this.userAssigned = List.copyOf(b.userAssigned);
        this.applications = Set.copyOf(b.applications);
        this.tokenVersion = b.tokenVersion;
        route(IMDS_PATH, exchange -> token(exchange, true));
        route(APP_SERVICE_PATH, exchange -> token(exchange, false));
        serve();
    }

    /**
     * Starts an emulator for tenant {@code 72f988bf-86f1-41af-91ab-2d7cd011db47} whose VM has a
     * system-assigned identity.
     *
     * @return the running emulator; close it when done
     */
    public static AzureManagedIdentityEmulator start() {
        return builder().start();
    }

    /** @return a builder for other identities, tenant, app registrations or token version */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the issuer whose keys sign the tokens */
    public OidcIssuer issuer() {
        return issuer;
    }

    /** @return the {@code iss} of the tokens: the v2.0 (or v1.0) issuer of the tenant */
    public String issuerUrl() {
        return tokenVersion == 2 ? EntraTokens.issuerV2(tenantId) : EntraTokens.issuerV1(tenantId);
    }

    /** @return the tenant id, the {@code tid} claim */
    public String tenantId() {
        return tenantId;
    }

    /** @return the system-assigned identity's object id, the {@code oid} of its tokens */
    public String systemAssignedObjectId() {
        return systemAssigned == null ? null : systemAssigned.objectId();
    }

    /** @return the system-assigned identity's client id, the {@code azp} of its tokens */
    public String systemAssignedClientId() {
        return systemAssigned == null ? null : systemAssigned.clientId();
    }

    /** @return the secret App Service puts in {@code IDENTITY_HEADER} */
    public String identityHeader() {
        return identityHeader;
    }

    /** @return {@link #imdsEnvironment()}: a VM's managed identity, which needs no other variable */
    @Override
    public Map<String, String> environment() {
        return imdsEnvironment();
    }

    /** @return the variable that points Azure Identity's IMDS requests here */
    public Map<String, String> imdsEnvironment() {
        return Map.of("AZURE_POD_IDENTITY_AUTHORITY_HOST", baseUrl());
    }

    /** @return the variables App Service sets: {@code IDENTITY_ENDPOINT} and {@code IDENTITY_HEADER} */
    public Map<String, String> appServiceEnvironment() {
        return Map.of("IDENTITY_ENDPOINT", baseUrl() + APP_SERVICE_PATH, "IDENTITY_HEADER", identityHeader);
    }

    @Override
    String details() {
        return "tenant " + tenantId;
    }

    private void token(HttpExchange exchange, boolean imds) throws IOException {
        log().receive(exchange);
        if (log().playFault(exchange, null)) {
            return;
        }
        Map<String, String> query = EntraTokens.form(exchange.getRequestURI().getRawQuery());
        if (imds) {
            if (!"true".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Metadata"))) {
                error(exchange, 400, "invalid_request", "Required metadata header not specified");
                return;
            }
            if (!"2018-02-01".equals(query.get("api-version")) && !"2019-08-01".equals(query.get("api-version"))) {
                error(exchange, 400, "invalid_request", "Missing or unsupported api-version");
                return;
            }
        } else {
            if (!identityHeader.equals(exchange.getRequestHeaders().getFirst("X-IDENTITY-HEADER"))) {
                error(exchange, 401, "unauthorized", "X-IDENTITY-HEADER is missing or wrong");
                return;
            }
            if (!"2019-08-01".equals(query.get("api-version"))) {
                error(exchange, 400, "invalid_request", "api-version 2019-08-01 is required");
                return;
            }
        }
        String resource = query.getOrDefault("resource", "");
        if (resource.isBlank()) {
            error(exchange, 400, "invalid_request", "Required query variable 'resource' is missing");
            return;
        }
        Identity identity = find(query, imds);
        if (identity == null) {
            // IMDS's answer when the VM has no (such) identity assigned.
            error(exchange, 400, "invalid_request", "Identity not found");
            return;
        }
        if (!applications.isEmpty() && !applications.contains(EntraTokens.resourceOf(resource))) {
            error(exchange, 400, "invalid_resource", "AADSTS500011: The resource principal named " + resource
                    + " was not found in the tenant named " + tenantId + ". This can happen if the application"
                    + " has not been installed by the administrator of the tenant or consented to by any user in"
                    + " the tenant. You might have sent your authentication request to the wrong tenant.");
            return;
        }
        Duration lifetime = Duration.ofHours(24);
        String jwt = EntraTokens.mint(issuer, tokenVersion, tenantId, identity.objectId(), identity.clientId(),
                resource, lifetime);
        long now = clock.instant().getEpochSecond();
        ObjectNode body = JSON.createObjectNode();
        body.put("access_token", jwt);
        body.put("client_id", identity.clientId());
        body.put("expires_in", Long.toString(lifetime.toSeconds()));
        body.put("expires_on", Long.toString(now + lifetime.toSeconds()));
        body.put("ext_expires_in", Long.toString(lifetime.toSeconds()));
        body.put("not_before", Long.toString(now));
        body.put("resource", resource);
        body.put("token_type", "Bearer");
        LoopbackServer.send(exchange, 200, "application/json; charset=utf-8", body.toString(), Map.of());
    }

    private Identity find(Map<String, String> query, boolean imds) {
        String clientId = query.get("client_id");
        String objectId = imds ? query.get("object_id") : query.getOrDefault("principal_id", query.get("object_id"));
        // IMDS documents msi_res_id and also takes mi_res_id, the name the identity endpoints use.
        String resourceId = query.getOrDefault("mi_res_id", query.get("msi_res_id"));
        if (clientId == null && objectId == null && resourceId == null) {
            return systemAssigned;
        }
        for (Identity identity : userAssigned) {
            if (identity.clientId().equalsIgnoreCase(Objects.requireNonNullElse(clientId, ""))
                    || identity.objectId().equalsIgnoreCase(Objects.requireNonNullElse(objectId, ""))
                    || identity.resourceId().equalsIgnoreCase(Objects.requireNonNullElse(resourceId, ""))) {
                return identity;
            }
        }
        return null;
    }

    private static void error(HttpExchange exchange, int status, String error, String description)
            throws IOException {
        OAuthError.of(error, description).send(exchange, status, OAuthError.JSON_UTF8);
    }

    /** Configures an {@link AzureManagedIdentityEmulator}. */
    public static final class Builder extends LoopbackEmulator.Builder<Builder, AzureManagedIdentityEmulator> {
        private String tenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47";
        private Identity systemAssigned = new Identity("5a1c2b3d-0000-4000-8000-00000000c11d",
                "9f8e7d6c-1a2b-4c4d-8e6f-000000000001", "");
        private final List<Identity> userAssigned = new ArrayList<>();
        private final Set<String> applications = new LinkedHashSet<>();
        private int tokenVersion = 2;

        private Builder() {
        }

        /**
         * @param tenantId the tenant, the {@code tid} claim
         * @return this builder
         */
        public Builder tenantId(String tenantId) {
            this.tenantId = Objects.requireNonNull(tenantId);
            return this;
        }

        /**
         * Gives the VM a system-assigned identity.
         *
         * @param clientId its client id ({@code azp})
         * @param objectId its object id ({@code oid}, {@code sub})
         * @return this builder
         */
        public Builder systemAssigned(String clientId, String objectId) {
            this.systemAssigned = new Identity(clientId, objectId, "");
            return this;
        }

        /**
         * Removes the system-assigned identity: a request naming no identity answers {@code Identity not found}.
         *
         * @return this builder
         */
        public Builder noSystemAssigned() {
            this.systemAssigned = null;
            return this;
        }

        /**
         * Assigns a user-assigned identity.
         *
         * @param clientId its client id
         * @param objectId its object (principal) id
         * @param resourceId its ARM resource id
         * @return this builder
         */
        public Builder userAssigned(String clientId, String objectId, String resourceId) {
            userAssigned.add(new Identity(clientId, objectId, resourceId));
            return this;
        }

        /**
         * Limits the resources tokens can be asked for, as app registrations in the tenant do; others answer
         * {@code AADSTS500011}. By default every resource is accepted.
         *
         * @param appIdUris resources such as {@code api://<app id>}
         * @return this builder
         */
        public Builder applications(String... appIdUris) {
            applications.addAll(List.of(appIdUris));
            return this;
        }

        /**
         * @param version 2 (the default; {@code requestedAccessTokenVersion=2}) or 1
         * @return this builder
         */
        public Builder tokenVersion(int version) {
            if (version != 1 && version != 2) {
                throw new IllegalArgumentException("Entra access tokens are version 1 or 2, not " + version);
            }
            this.tokenVersion = version;
            return this;
        }

        @Override
        public AzureManagedIdentityEmulator start() {
            return new AzureManagedIdentityEmulator(this);
        }
    }
}
