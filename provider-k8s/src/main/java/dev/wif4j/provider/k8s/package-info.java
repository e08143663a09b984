/**
 * The {@code k8s} identity provider ({@link dev.wif4j.provider.k8s.K8sIdentityProvider}): identity tokens
 * from a Kubernetes service account (projected token file or TokenRequest API).
 * Found by {@link java.util.ServiceLoader}; applications need not name it.
 */
package dev.wif4j.provider.k8s;
