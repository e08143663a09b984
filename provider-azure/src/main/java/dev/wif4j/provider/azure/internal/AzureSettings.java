package dev.wif4j.provider.azure.internal;

import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.support.Endpoints;
import dev.wif4j.spi.support.ProviderSettings;
import dev.wif4j.spi.support.Setting;
import dev.wif4j.spi.support.SettingException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code azure} provider's settings ({@code wif4j.azure.<key>} / {@code WIF4J_AZURE_<KEY>}, else Azure's own
 * variables) and the managed-identity variables Azure's platforms set, read from a {@link DetectionContext}
 * through {@link ProviderSettings}. A value that is set but unusable is a {@link SettingException} naming where it
 * came from, thrown when the settings are read.
 */
public final class AzureSettings {

    /** The provider id, the prefix of its settings. */
    public static final String ID = "azure";
    /** Entra's public-cloud authority host. */
    public static final String PUBLIC_AUTHORITY = "https://login.microsoftonline.com/";
    /** IMDS's link-local address, which is plain http by design. */
    public static final String IMDS_ADDRESS = "http://169.254.169.254";
    /** The variable MSAL reads for an IMDS address other than {@link #IMDS_ADDRESS}. */
    public static final String IMDS_VARIABLE = "AZURE_POD_IDENTITY_AUTHORITY_HOST";

    private final Optional<String> resource;
    private final Optional<String> clientId;
    private final Optional<String> objectId;
    private final Optional<String> identityResourceId;
    private final Optional<String> tenantId;
    private final String authorityHost;
    private final Optional<String> federatedTokenFile;
    private final Optional<Path> federatedTokenPath;
    private final Optional<String> imdsEndpoint;
    private final Optional<String> identityEndpoint;
    private final Optional<String> identityHeader;
    private final Optional<String> msiEndpoint;
    private final Optional<String> msiSecret;
    private final String resourceVariable;

    private AzureSettings(DetectionContext context) {
        ProviderSettings settings = ProviderSettings.of(context, ID);
        Setting resourceSetting = settings.get("resource");
        resourceVariable = resourceSetting.variable();
        resource = resourceSetting.value();
        if (resource.isPresent() && !resource.get().matches("[A-Za-z][A-Za-z0-9+.-]*://\\S+|[0-9a-fA-F-]{36}")) {
            throw resourceSetting.invalid("that is not a resource: use the Application ID URI (api://<APP_ID>) or "
                    + "the app id");
        }
        clientId = settings.get("client.id").orEnv("AZURE_CLIENT_ID").value();
        objectId = settings.get("object.id").value();
        identityResourceId = settings.get("identity.resource.id").value();
        tenantId = settings.get("tenant.id").orEnv("AZURE_TENANT_ID").value();
        Setting authority = settings.get("authority.host").orEnv("AZURE_AUTHORITY_HOST");
        Optional<URI> authorityUri = authority.asEndpoint();
        if (authorityUri.isPresent() && !"https".equalsIgnoreCase(authorityUri.get().getScheme())) {
            // MSAL refuses any other scheme ("Authority host must use https scheme"), loopback or not.
            throw authority.invalid("Entra's authority must be an https URL such as " + PUBLIC_AUTHORITY);
        }
        authorityHost = authority.value(PUBLIC_AUTHORITY);
        Setting federated = settings.get("federated.token.file").orEnv("AZURE_FEDERATED_TOKEN_FILE");
        federatedTokenFile = federated.value();
        federatedTokenPath = federated.asPath();
        Setting imds = settings.get("imds.endpoint").orEnv(IMDS_VARIABLE);
        imdsEndpoint = imds.value();
        if (imdsEndpoint.isPresent()) {
            checkImds(imds);
            Optional<String> variable = context.env(IMDS_VARIABLE).map(String::strip);
            if (!imds.source().orElse("").equals(IMDS_VARIABLE) && !variable.equals(imdsEndpoint)) {
                // MSAL reads IMDS's address from the process environment and nowhere else.
                throw imds.invalid("MSAL, which asks IMDS, reads its address only from the process environment: "
                        + "set " + IMDS_VARIABLE + " to it instead");
            }
        }
        identityEndpoint = platformEndpoint(context, "IDENTITY_ENDPOINT");
        identityHeader = context.env("IDENTITY_HEADER").filter(v -> !v.isBlank());
        msiEndpoint = platformEndpoint(context, "MSI_ENDPOINT");
        msiSecret = context.env("MSI_SECRET").filter(v -> !v.isBlank());
    }

    /**
     * Reads and checks the settings.
     *
     * @param context the context
     * @return the settings
     * @throws SettingException if a value is set but unusable
     */
    public static AzureSettings from(DetectionContext context) {
        return new AzureSettings(context);
    }

    /** The endpoint rule, plus IMDS's own link-local http address. */
    private static void checkImds(Setting imds) {
        String value = imds.value().orElseThrow();
        if (value.equals(IMDS_ADDRESS) || value.equals(IMDS_ADDRESS + "/")) {
            return;
        }
        imds.asEndpoint();
    }

    /**
     * An endpoint the platform itself sets (App Service's and Cloud Shell's local identity agent). The endpoint
     * rule, except that plain http to a host of the platform's choosing is accepted: App Service puts its agent
     * on a container-network address, and MSAL reads the variable from the process environment whatever wif4j
     * thinks of it.
     */
    private static Optional<String> platformEndpoint(DetectionContext context, String variable) {
        Optional<String> value = context.env(variable).map(String::strip).filter(v -> !v.isEmpty());
        if (value.isPresent()) {
            try {
                Endpoints.parse(value.get());
            } catch (IllegalArgumentException e) {
                if (!plainHttpWithHost(value.get())) {
                    // Scheme, host and port alone: the endpoint's query may carry a key.
                    throw new SettingException(variable + " is " + Endpoints.describe(value.get()) + ", but "
                            + e.getMessage() + ".");
                }
            }
        }
        return value;
    }

    private static boolean plainHttpWithHost(String value) {
        try {
            URI uri = new URI(value);
            return "http".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null && uri.getRawUserInfo() == null
                    && uri.getRawFragment() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** @return the resource tokens are for ({@code azure.resource}), e.g. {@code api://<app id>}; may be empty */
    public Optional<String> resource() {
        return resource;
    }

    /** @return {@code azure.client.id}, else {@code AZURE_CLIENT_ID} */
    public Optional<String> clientId() {
        return clientId;
    }

    /** @return {@code azure.object.id}: a user-assigned identity chosen by object (principal) id */
    public Optional<String> objectId() {
        return objectId;
    }

    /** @return {@code azure.identity.resource.id}: a user-assigned identity chosen by ARM id */
    public Optional<String> identityResourceId() {
        return identityResourceId;
    }

    /** @return {@code azure.tenant.id}, else {@code AZURE_TENANT_ID} */
    public Optional<String> tenantId() {
        return tenantId;
    }

    /** @return {@code azure.authority.host}, else {@code AZURE_AUTHORITY_HOST}, else Entra's public cloud */
    public String authorityHost() {
        return authorityHost;
    }

    /** @return {@code azure.federated.token.file}, else {@code AZURE_FEDERATED_TOKEN_FILE} */
    public Optional<String> federatedTokenFile() {
        return federatedTokenFile;
    }

    /** @return the federated token file as the context resolves it */
    public Optional<Path> federatedTokenPath() {
        return federatedTokenPath;
    }

    /** @return {@code azure.imds.endpoint}, else {@code AZURE_POD_IDENTITY_AUTHORITY_HOST}; empty: IMDS's address */
    public Optional<String> imdsEndpoint() {
        return imdsEndpoint;
    }

    /** @return {@code IDENTITY_ENDPOINT} (App Service, Functions, Container Apps) */
    public Optional<String> identityEndpoint() {
        return identityEndpoint;
    }

    /** @return {@code IDENTITY_HEADER}, a secret */
    public Optional<String> identityHeader() {
        return identityHeader;
    }

    /** @return {@code MSI_ENDPOINT} (Cloud Shell; older App Service) */
    public Optional<String> msiEndpoint() {
        return msiEndpoint;
    }

    /** @return {@code MSI_SECRET} (older App Service), a secret */
    public Optional<String> msiSecret() {
        return msiSecret;
    }

    /**
     * The scope asked of Entra: the resource with {@code /.default}.
     *
     * @return e.g. {@code api://<app id>/.default}
     * @throws SettingException if no resource is set
     */
    public String scope() {
        String r = resource.orElseThrow(this::missingResource);
        return r.endsWith("/.default") ? r : r + "/.default";
    }

    /**
     * Why a resource is needed and how to give it.
     *
     * @return the exception to throw
     */
    public SettingException missingResource() {
        return new SettingException(resourceVariable + " (setting azure.resource) is not set: set it to the "
                + "Application ID URI of the app registration Anthropic trusts, e.g. api://<APP_ID> (see the README, "
                + "'Azure').");
    }

    /**
     * Whether the authority host is one of Entra's clouds, whose instance-discovery endpoint MSAL knows.
     *
     * @return {@code true} for the public, US government and China clouds
     */
    public boolean knownAuthority() {
        String host = URI.create(authorityHost).getHost();
        return host.equals("login.microsoftonline.com") || host.equals("login.microsoftonline.us")
                || host.equals("login.chinacloudapi.cn") || host.equals("login.partner.microsoftonline.cn");
    }

    @Override
    public String toString() {
        return "AzureSettings[" + resource.orElse("no resource") + "]";
    }
}
