package dev.wif4j.provider.k8s;

import dev.wif4j.spi.IdentityProvider;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.IdentityProviderContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The {@code k8s} provider's TokenRequest source keeps the provider contract. */
class K8sTokenRequestContractTest extends IdentityProviderContract {
    static K8sCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new K8sCluster();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Override
    protected IdentityProvider provider() {
        return new K8sIdentityProvider();
    }

    @Override
    protected FakeDetectionContext availableContext() {
        return cluster.pod().build();
    }
}
