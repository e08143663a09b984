/**
 * The {@code k8s} identity provider: Kubernetes service-account tokens, from a projected
 * {@code serviceAccountToken} volume or from the TokenRequest API.
 *
 * <p>Fabric8's client and model jars carry no module name of their own, so they are required by the names the
 * module system derives from their file names. {@code kubernetes.client} is the implementation that
 * {@code KubernetesClientBuilder} loads by name; it is required so the module path resolves it. The JDK HTTP
 * client is not required but used as a service: its module's name changed in Fabric8 7.6
 * ({@code kubernetes.httpclient.jdk}, then {@code io.fabric8.kubernetes.client.jdkhttp}), and service binding
 * resolves it under either name.
 *
 * <p>Fabric8's automatic modules read every module but pull only other automatic modules into the graph, never
 * the explicit ones they use (SLF4J, SnakeYAML Engine; Jackson 3 in Fabric8 8), whose names differ between
 * Fabric8 7 and 8 ({@code org.snakeyaml.engine.v2}, then {@code org.snakeyaml.engine}), so no {@code requires}
 * here can name them for both: the TokenRequest source needs {@code --add-modules ALL-MODULE-PATH} (README).
 *
 * @provides dev.wif4j.spi.IdentityProvider the {@code k8s} provider
 */
module dev.wif4j.provider.k8s {
    requires transitive dev.wif4j;
    requires kubernetes.client;
    requires kubernetes.client.api;
    requires kubernetes.model.admissionregistration;
    requires kubernetes.model.common;
    requires kubernetes.model.core;

    exports dev.wif4j.provider.k8s;

    uses io.fabric8.kubernetes.client.http.HttpClient.Factory;

    provides dev.wif4j.spi.IdentityProvider with dev.wif4j.provider.k8s.K8sIdentityProvider;
}
