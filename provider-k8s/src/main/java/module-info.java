/**
 * The {@code k8s} identity provider: Kubernetes service-account tokens, from a projected
 * {@code serviceAccountToken} volume or from the TokenRequest API.
 *
 * <p>Fabric8's jars carry no module name of their own, so they are required by the names the module
 * system derives from their file names. {@code kubernetes.client} is the implementation that
 * {@code KubernetesClientBuilder} loads by name; it is required so the module path resolves it.
 *
 * @provides dev.wif4j.spi.IdentityProvider the {@code k8s} provider
 */
module dev.wif4j.provider.k8s {
    requires transitive dev.wif4j;
    requires kubernetes.client;
    requires kubernetes.client.api;
    requires kubernetes.httpclient.jdk;
    requires kubernetes.model.admissionregistration;
    requires kubernetes.model.common;
    requires kubernetes.model.core;

    exports dev.wif4j.provider.k8s;

    provides dev.wif4j.spi.IdentityProvider with dev.wif4j.provider.k8s.K8sIdentityProvider;
}
