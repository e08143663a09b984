/**
 * The {@code spiffe} identity provider ({@link dev.wif4j.provider.spiffe.SpiffeIdentityProvider}): JWT-SVIDs
 * from the SPIFFE Workload API (a SPIRE agent, a service mesh).
 * Found by {@link java.util.ServiceLoader}; applications need not name it.
 */
package dev.wif4j.provider.spiffe;
