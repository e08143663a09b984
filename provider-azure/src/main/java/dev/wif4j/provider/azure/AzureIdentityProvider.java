package dev.wif4j.provider.azure;

import dev.wif4j.provider.azure.internal.AzureSettings;
import dev.wif4j.provider.azure.internal.AzureTokenSource;
import dev.wif4j.provider.azure.internal.AzureTokenSource.Mode;
import dev.wif4j.spi.Detection;
import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.IdentityProvider;
import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.IdentityTokenSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 *       {@code azure.identity.resource.id}. {@code azure.imds.endpoint} (else
 *       {@code AZURE_POD_IDENTITY_AUTHORITY_HOST}) overrides IMDS's address. Requests to IMDS never go through a
 *       proxy.</li>
 * </ul>
 *
 * <p>Detection reads local signals only, in this order: the workload-identity variables; the identity endpoint
 * variables; the DMI data of an Azure VM ({@code /sys/class/dmi/id/sys_vendor} {@code Microsoft Corporation} and
 * {@code chassis_asset_tag} {@value #AZURE_CHASSIS_TAG}); an IMDS endpoint override. It never calls IMDS: a
 * container on an Azure VM often cannot see DMI data, so when the user pins the provider
 * ({@code WIF4J_PROVIDER=azure}) it is available without a signal and the library's bounded retries find out.
 *
 * <p>Priority 20: a GitHub Actions job or a Kubernetes service-account token on Azure is the more specific
 * identity.
 */
public final class AzureIdentityProvider implements IdentityProvider {

    /** The chassis asset tag every Azure VM reports. */
    public static final String AZURE_CHASSIS_TAG = "7783-7084-3265-9085-8269-3286-77";
    static final String DMI_VENDOR = "/sys/class/dmi/id/sys_vendor";
    static final String DMI_CHASSIS_TAG = "/sys/class/dmi/id/chassis_asset_tag";
    private static final String NO_SIGNAL = "no Azure signal";

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

    @Override
    public Detection detect(DetectionContext context) {
        try {
            return detectOrThrow(context);
        } catch (RuntimeException e) {
            return Detection.unavailable("Azure detection failed on an unexpected value (" + e.getClass().getSimpleName()
                    + "); check the AZURE_*, IDENTITY_* and WIF4J_AZURE_* variables");
        }
    }

    private static Detection detectOrThrow(DetectionContext context) {
        AzureSettings settings = AzureSettings.from(context);
        Choice choice = choose(context, settings);
        if (choice.mode() == null) {
            return Detection.unavailable(choice.text());
        }
        String problem = settings.problem();
        if (problem != null) {
            return Detection.unavailable(choice.text() + ", but " + problem);
        }
        if (settings.resource().isEmpty()) {
            return Detection.unavailable(choice.text() + ", but " + AzureSettings.missingResource());
        }
        return Detection.available(choice.text() + "; Entra tokens for " + settings.resource().get()
                + " come from " + describe(choice.mode(), settings));
    }

    private static String describe(Mode mode, AzureSettings settings) {
        return switch (mode) {
            case WORKLOAD_IDENTITY -> "the federated client_credentials hop to " + settings.authorityHost();
            case APP_SERVICE -> "the identity endpoint " + settings.identityEndpoint().orElse("?");
            case CLOUD_SHELL -> "the Cloud Shell endpoint " + settings.msiEndpoint().orElse("?");
            case IMDS -> "IMDS at " + settings.imdsEndpoint().orElse("http://169.254.169.254")
                    + settings.clientId().map(c -> " (user-assigned identity, client id " + c + ")")
                            .or(() -> settings.objectId().map(o -> " (user-assigned identity, object id " + o + ")"))
                            .or(() -> settings.identityResourceId().map(r -> " (user-assigned identity " + r + ")"))
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
            Path path = context.path(file.get());
            if (!Files.isReadable(path)) {
                return new Choice(null, "AZURE_FEDERATED_TOKEN_FILE names " + AzureSettings.printable(file.get())
                        + ", which cannot be read: check the projected azure-identity-token volume");
            }
            return new Choice(Mode.WORKLOAD_IDENTITY, "AKS Entra Workload ID (AZURE_FEDERATED_TOKEN_FILE, client "
                    + s.clientId().get() + ", tenant " + s.tenantId().get() + ")");
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
        Optional<String> vm = azureVm(context);
        if (vm.isPresent()) {
            return new Choice(Mode.IMDS, "an Azure VM (" + vm.get() + ")");
        }
        if (context.setting(AzureSettings.ID, "imds.endpoint").isPresent()
                || context.env("AZURE_POD_IDENTITY_AUTHORITY_HOST").isPresent()) {
            return new Choice(Mode.IMDS, "an IMDS endpoint is configured (" + s.imdsEndpoint().orElse("?") + ")");
        }
        if (context.globalSetting("provider").map(p -> p.strip().equals(AzureSettings.ID)).orElse(false)) {
            // A container on an Azure VM may not see DMI data: trust the user, probe nothing, let the
            // library's bounded retries find IMDS (azure-sdk-for-java#46725).
            return new Choice(Mode.IMDS, "the provider is pinned (WIF4J_PROVIDER=azure) and no Azure signal is "
                    + "visible here; IMDS is asked at fetch time");
        }
        return new Choice(null, NO_SIGNAL + ": AZURE_FEDERATED_TOKEN_FILE (AKS Workload ID), IDENTITY_ENDPOINT "
                + "(App Service, Functions, Container Apps) and MSI_ENDPOINT are unset, and " + DMI_VENDOR + " / "
                + DMI_CHASSIS_TAG + " are not an Azure VM's; on an Azure VM in a container without DMI data, set "
                + "WIF4J_PROVIDER=azure");
    }

    private static Optional<String> azureVm(DetectionContext context) {
        Optional<String> vendor = dmi(context, DMI_VENDOR);
        Optional<String> tag = dmi(context, DMI_CHASSIS_TAG);
        if (vendor.filter("Microsoft Corporation"::equals).isPresent()
                && tag.filter(AZURE_CHASSIS_TAG::equals).isPresent()) {
            return Optional.of("DMI sys_vendor Microsoft Corporation, chassis_asset_tag " + AZURE_CHASSIS_TAG);
        }
        return Optional.empty();
    }

    private static Optional<String> dmi(DetectionContext context, String file) {
        try {
            Path path = context.path(file);
            if (!Files.isRegularFile(path)) {
                return Optional.empty();
            }
            try (InputStream in = Files.newInputStream(path)) {
                String text = new String(in.readNBytes(256), StandardCharsets.UTF_8);
                return text.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst();
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // unreadable (not Linux, or locked down): no signal
        }
    }

    @Override
    public IdentityTokenSource open(DetectionContext context) {
        AzureSettings settings = AzureSettings.from(context);
        Choice choice = choose(context, settings);
        String problem = settings.problem();
        if (problem != null) {
            throw new IdentityTokenException("Azure: " + problem + ".");
        }
        if (settings.resource().isEmpty()) {
            throw new IdentityTokenException("Azure: " + AzureSettings.missingResource() + ".");
        }
        if (choice.mode() == null && !choice.text().startsWith(NO_SIGNAL)) {
            throw new IdentityTokenException("Azure: " + choice.text() + ".");
        }
        // Chosen in code with no signal at all: IMDS is the only place left to ask.
        Mode mode = choice.mode() != null ? choice.mode() : Mode.IMDS;
        return new AzureTokenSource(mode, settings, context);
    }

    @Override
    public String toString() {
        return "AzureIdentityProvider";
    }
}
