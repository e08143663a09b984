/**
 * The {@code azure} identity provider: Microsoft Entra access tokens through Azure Identity, from a VM's or
 * VM scale set's managed identity (IMDS), the App Service / Functions / Container Apps identity endpoint, or AKS
 * Entra Workload ID (the federated client_credentials hop).
 *
 * <p>Only Azure Identity's and azure-core's public API is used; MSAL for Java (an automatic module) is resolved
 * through Azure Identity's own {@code requires}.
 *
 * @provides dev.wif4j.spi.IdentityProvider the {@code azure} provider
 */
module dev.wif4j.provider.azure {
    requires transitive dev.wif4j;
    requires com.azure.identity;
    requires com.azure.core;
    requires com.azure.core.http.jdk.httpclient;
    requires com.fasterxml.jackson.databind;
    requires java.net.http;

    exports dev.wif4j.provider.azure;

    provides dev.wif4j.spi.IdentityProvider with dev.wif4j.provider.azure.AzureIdentityProvider;
}
