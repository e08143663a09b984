/**
 * The {@code gcp} identity provider ({@link dev.wif4j.provider.gcp.GcpIdentityProvider}): identity tokens
 * from the Google Cloud metadata server or a service-account key.
 * Found by {@link java.util.ServiceLoader}; applications need not name it.
 */
package dev.wif4j.provider.gcp;
