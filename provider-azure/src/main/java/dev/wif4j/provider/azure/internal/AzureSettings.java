package dev.wif4j.provider.azure.internal;

import dev.wif4j.spi.DetectionContext;
import java.net.URI;
import java.util.Optional;

/**
 * The {@code azure} provider's settings and Azure's own variables, read from a {@link DetectionContext} only.
 *
 * @param resource the resource tokens are for ({@code azure.resource}), e.g. {@code api://<app id>}; may be empty
 * @param clientId {@code azure.client.id}, else {@code AZURE_CLIENT_ID}
 * @param objectId {@code azure.object.id}: a user-assigned identity chosen by object (principal) id
 * @param identityResourceId {@code azure.identity.resource.id}: a user-assigned identity chosen by ARM id
 * @param tenantId {@code azure.tenant.id}, else {@code AZURE_TENANT_ID}
 * @param authorityHost {@code azure.authority.host}, else {@code AZURE_AUTHORITY_HOST}, else Entra's public cloud
 * @param federatedTokenFile {@code azure.federated.token.file}, else {@code AZURE_FEDERATED_TOKEN_FILE}
 * @param imdsEndpoint {@code azure.imds.endpoint}, else {@code AZURE_POD_IDENTITY_AUTHORITY_HOST}; empty: IMDS's
 *     link-local address
 * @param identityEndpoint {@code IDENTITY_ENDPOINT} (App Service, Functions, Container Apps)
 * @param identityHeader {@code IDENTITY_HEADER}
 * @param msiEndpoint {@code MSI_ENDPOINT} (Cloud Shell; older App Service)
 * @param msiSecret {@code MSI_SECRET} (older App Service)
 */
public record AzureSettings(Optional<String> resource, Optional<String> clientId, Optional<String> objectId,
        Optional<String> identityResourceId, Optional<String> tenantId, String authorityHost,
        Optional<String> federatedTokenFile, Optional<String> imdsEndpoint, Optional<String> identityEndpoint,
        Optional<String> identityHeader, Optional<String> msiEndpoint, Optional<String> msiSecret) {

    /** The provider id, the prefix of its settings. */
    public static final String ID = "azure";
    /** Entra's public-cloud authority host. */
    public static final String PUBLIC_AUTHORITY = "https://login.microsoftonline.com/";
    /** The variable that names the resource. */
    public static final String RESOURCE_VARIABLE = DetectionContext.environmentName(ID + ".resource");

    /**
     * Reads the settings.
     *
     * @param context the context
     * @return the settings, unchecked
     */
    public static AzureSettings from(DetectionContext context) {
        return new AzureSettings(
                context.setting(ID, "resource").map(String::strip),
                context.setting(ID, "client.id").or(() -> context.env("AZURE_CLIENT_ID")).map(String::strip),
                context.setting(ID, "object.id").map(String::strip),
                context.setting(ID, "identity.resource.id").map(String::strip),
                context.setting(ID, "tenant.id").or(() -> context.env("AZURE_TENANT_ID")).map(String::strip),
                context.setting(ID, "authority.host").or(() -> context.env("AZURE_AUTHORITY_HOST"))
                        .map(String::strip).orElse(PUBLIC_AUTHORITY),
                context.setting(ID, "federated.token.file").or(() -> context.env("AZURE_FEDERATED_TOKEN_FILE"))
                        .map(String::strip),
                context.setting(ID, "imds.endpoint").or(() -> context.env("AZURE_POD_IDENTITY_AUTHORITY_HOST"))
                        .map(String::strip),
                context.env("IDENTITY_ENDPOINT").map(String::strip),
                context.env("IDENTITY_HEADER"),
                context.env("MSI_ENDPOINT").map(String::strip),
                context.env("MSI_SECRET"));
    }

    /**
     * The scope asked of Entra: the resource with {@code /.default}.
     *
     * @return e.g. {@code api://<app id>/.default}
     * @throws IllegalStateException if no resource is set
     */
    public String scope() {
        String r = resource.orElseThrow(() -> new IllegalStateException(missingResource()));
        return r.endsWith("/.default") ? r : r + "/.default";
    }

    /**
     * Why a resource is needed and how to give it.
     *
     * @return a sentence
     */
    public static String missingResource() {
        return RESOURCE_VARIABLE + " (setting azure.resource) is not set: set it to the Application ID URI of the "
                + "app registration Anthropic trusts, e.g. api://<APP_ID> (see the README, 'Azure')";
    }

    /**
     * Checks the values a user typed; {@code null} if they are usable.
     *
     * @return a sentence naming the bad value, or {@code null}
     */
    public String problem() {
        if (resource.isPresent() && !resource.get().matches("[A-Za-z][A-Za-z0-9+.-]*://\\S+|[0-9a-fA-F-]{36}")) {
            return RESOURCE_VARIABLE + " is '" + printable(resource.get()) + "', which is not a resource: use the "
                    + "Application ID URI (api://<APP_ID>) or the app id";
        }
        try {
            URI authority = URI.create(authorityHost);
            if (!"https".equals(authority.getScheme()) || authority.getHost() == null) {
                return "the authority host is '" + printable(authorityHost) + "': Entra's authority must be an "
                        + "https URL such as " + PUBLIC_AUTHORITY;
            }
        } catch (IllegalArgumentException e) {
            return "the authority host is '" + printable(authorityHost) + "', not a URL";
        }
        if (imdsEndpoint.isPresent()) {
            try {
                URI imds = URI.create(imdsEndpoint.get());
                if (imds.getScheme() == null || imds.getHost() == null) {
                    return "the IMDS endpoint is '" + printable(imdsEndpoint.get()) + "': use a URL such as "
                            + "http://169.254.169.254";
                }
            } catch (IllegalArgumentException e) {
                return "the IMDS endpoint is '" + printable(imdsEndpoint.get()) + "', not a URL";
            }
        }
        if (identityEndpoint.isPresent()) {
            try {
                URI.create(identityEndpoint.get()).toURL();
            } catch (IllegalArgumentException | java.net.MalformedURLException e) {
                return "IDENTITY_ENDPOINT is '" + printable(identityEndpoint.get()) + "', not a URL";
            }
        }
        return null;
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

    /**
     * Shows a value with its control characters escaped, so a reason stays one readable line.
     *
     * @param value the value
     * @return the printable value, at most 200 characters
     */
    public static String printable(String value) {
        StringBuilder out = new StringBuilder();
        value.codePoints().limit(200).forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
