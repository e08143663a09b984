package dev.wif4j.provider.azure;

import dev.wif4j.provider.azure.internal.AzureSettings;
import dev.wif4j.provider.azure.internal.AzureTokenSource;
import dev.wif4j.provider.azure.internal.AzureTokenSource.Mode;
import dev.wif4j.spi.Detection;
import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.IdentityProvider;
import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.spi.support.Dmi;
import dev.wif4j.spi.support.ProviderSettings;
import dev.wif4j.spi.support.Text;
import java.nio.file.Files;
import java.util.Optional;

/**
 * The {@code azure} provider: a Microsoft Entra access token for the app registration Anthropic trusts
 * (setting {@code azure.resource} / {@code WIF4J_AZURE_RESOURCE}, e.g. {@code api://<APP_ID>}; required), through
 * Azure Identity. That Entra token is the identity token.
 *
 * <ul>
 *   <li>AKS Entra Workload ID ({@code AZURE_FEDERATED_TOKEN_FILE}, {@code AZURE_CLIENT_ID},
 *       {@code AZURE_TENANT_ID}, {@code AZURE_AUTHORITY_HOST}): {@code WorkloadIdentityCredential} presents the
 *       projected service-account token, re-read on every fetch, as a client assertion to
 *       {@code <authority>/<tenant>/oauth2/v2.0/token}.</li>
 *   <li>App Service, Functions, Container Apps ({@code IDENTITY_ENDPOINT} + {@code IDENTITY_HEADER}) and Cloud Shell
 *       ({@code MSI_ENDPOINT}): {@code ManagedIdentityCredential}.</li>
 *   <li>VMs and VM scale sets: {@code ManagedIdentityCredential} asks IMDS; a user-assigned identity is chosen by
 *       {@code azure.client.id} (else {@code AZURE_CLIENT_ID}), {@code azure.object.id} or
 *       {@code azure.identity.resource.id}. {@code AZURE_POD_IDENTITY_AUTHORITY_HOST} overrides IMDS's address
 *       (MSAL reads it from the process environment; {@code azure.imds.endpoint}, if set, must agree). Requests
 *       to IMDS never go through a proxy.</li>
 * </ul>
 *
 * <p>Detection reads local signals only, in this order: the workload-identity variables; the identity endpoint
 * variables; the DMI data of an Azure VM ({@code /sys/class/dmi/id/sys_vendor} {@code Microsoft Corporation} and
 * {@code chassis_asset_tag} {@value #AZURE_CHASSIS_TAG}); an IMDS endpoint override. It never calls IMDS: a
 * container on an Azure VM often cannot see DMI data, so when the user pins the provider
 * ({@code WIF4J_PROVIDER=azure}, {@code builder().provider("azure")} or {@code wif4j --provider azure}, all alike:
 * {@link DetectionContext#pinned()}) it is available without a signal and the fetch finds out.
 *
 * <p>Priority 20: a GitHub Actions job or a Kubernetes service-account token on Azure is the more specific
 * identity.
 */
public final class AzureIdentityProvider implements IdentityProvider {

    /** The chassis asset tag every Azure VM reports. */
    public static final String AZURE_CHASSIS_TAG = "7783-7084-3265-9085-8269-3286-77";
    static final String DMI_VENDOR = Dmi.DIRECTORY + "sys_vendor";
    static final String DMI_CHASSIS_TAG = Dmi.DIRECTORY + "chassis_asset_tag";
    private static final String NO_SIGNAL = "no Azure signal";
    private static final String NO_SIGNAL_REASON = NO_SIGNAL + ": AZURE_FEDERATED_TOKEN_FILE (AKS Workload ID), "
            + "IDENTITY_ENDPOINT (App Service, Functions, Container Apps) and MSI_ENDPOINT are unset, and " + DMI_VENDOR
            + " / " + DMI_CHASSIS_TAG + " are not an Azure VM's; on an Azure VM in a container without DMI data, set "
            + "WIF4J_PROVIDER=azure";
    /** The variables {@link AzureSettings} reads besides its settings. */
    private static final String[] VARIABLES = {"AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_AUTHORITY_HOST",
        "AZURE_FEDERATED_TOKEN_FILE", AzureSettings.IMDS_VARIABLE, "IDENTITY_ENDPOINT", "IDENTITY_HEADER",
        "MSI_ENDPOINT", "MSI_SECRET"};

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public AzureIdentityProvider() {
    }

    @Override
    public String id() {
        return AzureSettings.ID;
    }

    @Override
    public int priority() {
        return 20;
    }

    /** A malformed setting is a {@link dev.wif4j.spi.support.SettingException}, which detection reports. */
    @Override
    public Detection detect(DetectionContext context) {
        // Nothing Azure here: said in plain code, before the settings and their classes are loaded (detection
        // runs in a cold JVM, where each class and lambda costs time).
        if (!context.pinned() && nothingSet(context) && azureVm(context) == null) {
            return Detection.unavailable(NO_SIGNAL_REASON);
        }
        AzureSettings settings = AzureSettings.from(context);
        Choice choice;
        try {
            choice = choose(context, settings);
        } catch (RuntimeException e) {
            // A signal no check foresaw (a path the file system refuses, say): said as such, not as a bug.
            return Detection.unavailable("Azure detection failed on an unexpected value (" + e.getClass().getSimpleName()
                    + "); check the AZURE_*, IDENTITY_* and WIF4J_AZURE_* variables");
        }
        if (choice.mode() == null) {
            return Detection.unavailable(choice.text());
        }
        if (settings.resource().isEmpty()) {
            return Detection.unavailable(choice.text() + ", but " + settings.missingResource().getMessage());
        }
        return Detection.available(choice.text() + "; Entra tokens for " + settings.resource().get()
                + " come from " + describe(choice.mode(), settings));
    }

    private static String describe(Mode mode, AzureSettings settings) {
        return switch (mode) {
            case WORKLOAD_IDENTITY -> "the federated client_credentials hop to " + settings.authorityHost();
            case APP_SERVICE -> "the identity endpoint " + settings.identityEndpoint().orElse("?");
            case CLOUD_SHELL -> "the Cloud Shell endpoint " + settings.msiEndpoint().orElse("?");
            case IMDS -> "IMDS at " + settings.imdsEndpoint().orElse(AzureSettings.IMDS_ADDRESS)
                    + settings.clientId().map(c -> " (user-assigned identity, client id " + Text.escape(c, 80) + ")")
                            .or(() -> settings.objectId().map(o -> " (user-assigned identity, object id "
                                    + Text.escape(o, 80) + ")"))
                            .or(() -> settings.identityResourceId().map(r -> " (user-assigned identity "
                                    + Text.escape(r, 300) + ")"))
                            .orElse(" (system-assigned identity)");
        };
    }

    /** Which path the local signals point at, with the sentence that says why (or why none). */
    private record Choice(Mode mode, String text) {
    }

    private static Choice choose(DetectionContext context, AzureSettings s) {
        Optional<String> file = s.federatedTokenFile();
        if (file.isPresent()) {
            if (s.clientId().isEmpty() || s.tenantId().isEmpty()) {
                return new Choice(null, "AZURE_FEDERATED_TOKEN_FILE is set but "
                        + (s.clientId().isEmpty() ? "AZURE_CLIENT_ID" : "AZURE_TENANT_ID") + " is not: the AKS "
                        + "workload-identity webhook sets all three; label the pod azure.workload.identity/use: "
                        + "\"true\" and annotate its service account with azure.workload.identity/client-id");
            }
            if (!Files.isReadable(s.federatedTokenPath().orElseThrow())) {
                return new Choice(null, "AZURE_FEDERATED_TOKEN_FILE names " + Text.quote(file.get())
                        + ", which cannot be read: check the projected azure-identity-token volume");
            }
            return new Choice(Mode.WORKLOAD_IDENTITY, "AKS Entra Workload ID (AZURE_FEDERATED_TOKEN_FILE, client "
                    + Text.escape(s.clientId().get(), 80) + ", tenant " + Text.escape(s.tenantId().get(), 80) + ")");
        }
        if (s.identityEndpoint().isPresent() || s.identityHeader().isPresent()) {
            if (s.identityEndpoint().isEmpty() || s.identityHeader().isEmpty()) {
                return new Choice(null, (s.identityEndpoint().isEmpty() ? "IDENTITY_HEADER is set but "
                        + "IDENTITY_ENDPOINT" : "IDENTITY_ENDPOINT is set but IDENTITY_HEADER") + " is not: turn on "
                        + "the managed identity of the App Service, Function or Container App");
            }
            return new Choice(Mode.APP_SERVICE, "an App Service, Functions or Container Apps managed identity "
                    + "(IDENTITY_ENDPOINT, IDENTITY_HEADER)");
        }
        if (s.msiEndpoint().isPresent()) {
            if (s.msiSecret().isPresent()) {
                return new Choice(null, "MSI_ENDPOINT and MSI_SECRET are set without IDENTITY_ENDPOINT and "
                        + "IDENTITY_HEADER: that is App Service's 2017 identity API, which Azure Identity no longer "
                        + "speaks; move the app to a current App Service runtime, which sets IDENTITY_ENDPOINT and "
                        + "IDENTITY_HEADER");
            }
            return new Choice(Mode.CLOUD_SHELL, "Azure Cloud Shell (MSI_ENDPOINT)");
        }
        String vm = azureVm(context);
        if (vm != null) {
            return new Choice(Mode.IMDS, "an Azure VM (" + vm + ")");
        }
        if (s.imdsEndpoint().isPresent()) {
            return new Choice(Mode.IMDS, "an IMDS endpoint is configured (" + s.imdsEndpoint().get() + ")");
        }
        if (context.pinned()) {
            // A container on an Azure VM may not see DMI data: trust the user, probe nothing, and let the
            // fetch (one bounded attempt, retried by wif4j's exchange) find IMDS (azure-sdk-for-java#46725).
            return new Choice(Mode.IMDS, "the provider is pinned to azure and no Azure signal is visible here; "
                    + "IMDS is asked at fetch time");
        }
        return new Choice(null, NO_SIGNAL_REASON);
    }

    /** Whether none of the settings and variables {@link AzureSettings} reads is set: then it has nothing to check. */
    private static boolean nothingSet(DetectionContext context) {
        ProviderSettings settings = ProviderSettings.of(context, AzureSettings.ID);
        if (settings.get("resource").isSet() || settings.get("client.id").isSet() || settings.get("object.id").isSet()
                || settings.get("identity.resource.id").isSet() || settings.get("tenant.id").isSet()
                || settings.get("authority.host").isSet() || settings.get("federated.token.file").isSet()
                || settings.get("imds.endpoint").isSet()) {
            return false;
        }
        for (String variable : VARIABLES) {
            if (context.env(variable).isPresent()) {
                return false;
            }
        }
        return true;
    }

    /** What shows an Azure VM in the DMI data, or {@code null}. */
    private static String azureVm(DetectionContext context) {
        if (Dmi.read(context, "sys_vendor").orElse("").equals("Microsoft Corporation")
                && Dmi.read(context, "chassis_asset_tag").orElse("").equals(AZURE_CHASSIS_TAG)) {
            return "DMI sys_vendor Microsoft Corporation, chassis_asset_tag " + AZURE_CHASSIS_TAG;
        }
        return null;
    }

    @Override
    public IdentityTokenSource open(DetectionContext context) {
        AzureSettings settings = AzureSettings.from(context);
        Choice choice = choose(context, settings);
        if (settings.resource().isEmpty()) {
            throw settings.missingResource();
        }
        if (choice.mode() == null && !choice.text().startsWith(NO_SIGNAL)) {
            throw new IdentityTokenException("Azure: " + choice.text() + ".");
        }
        // Opened with no signal at all (chosen by the user): IMDS is the only place left to ask.
        Mode mode = choice.mode() != null ? choice.mode() : Mode.IMDS;
        return new AzureTokenSource(mode, settings, context);
    }

    @Override
    public String toString() {
        return "AzureIdentityProvider";
    }
}
