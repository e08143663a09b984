/**
 * The {@code azure} identity provider ({@link dev.wif4j.provider.azure.AzureIdentityProvider}): identity
 * tokens from Microsoft Entra, through Azure Identity (managed identity, App Service, AKS Workload ID).
 * Found by {@link java.util.ServiceLoader}; applications need not name it.
 */
package dev.wif4j.provider.azure;
