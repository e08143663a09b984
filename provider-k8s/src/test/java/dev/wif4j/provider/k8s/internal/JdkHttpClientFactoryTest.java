package dev.wif4j.provider.k8s.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wif4j.spi.IdentityTokenException;
import io.fabric8.kubernetes.client.http.HttpClient;
import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.ServiceLoader;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** How the TokenRequest source finds Fabric8's JDK HTTP client: as a service, by its class. */
class JdkHttpClientFactoryTest {

    @Test
    @DisplayName("Fabric8's JDK HTTP client is found as a service, without naming its module")
    void foundAsAService() {
        HttpClient.Factory factory = TokenRequestSource.jdkHttpClientFactory(
                ServiceLoader.load(HttpClient.Factory.class, TokenRequestSource.class.getClassLoader()));
        assertEquals(TokenRequestSource.JDK_FACTORY, factory.getClass().getName());
    }

    @Test
    @DisplayName("a build without kubernetes-httpclient-jdk gets a message that names it, not a NoClassDefFoundError")
    void missingClientIsNamed() {
        String services = "META-INF/services/" + HttpClient.Factory.class.getName();
        ClassLoader withoutClients = new ClassLoader(TokenRequestSource.class.getClassLoader()) {
            @Override
            public Enumeration<URL> getResources(String name) throws IOException {
                return name.equals(services) ? Collections.emptyEnumeration() : super.getResources(name);
            }
        };
        IdentityTokenException e = assertThrows(IdentityTokenException.class, () -> TokenRequestSource
                .jdkHttpClientFactory(ServiceLoader.load(HttpClient.Factory.class, withoutClients)));
        assertEquals("Fabric8's JDK HTTP client (io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory, from "
                + "io.fabric8:kubernetes-httpclient-jdk) is on neither the class path nor the module path: "
                + "wif4j-provider-k8s depends on it for the TokenRequest API; add it back if the build excludes it.",
                e.getMessage());
    }
}
