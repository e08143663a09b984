package dev.wif4j.provider.k8s;

import dev.wif4j.spi.IdentityProvider;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.IdentityProviderContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The {@code k8s} provider's TokenRequest source keeps the provider contract. */
class K8sTokenRequestContractTest extends IdentityProviderContract {
    @RegisterExtension
    static final Started<K8sCluster> CLUSTER = new Started<>(K8sCluster::new);

    @Override
    protected IdentityProvider provider() {
        return new K8sIdentityProvider();
    }

    @Override
    protected FakeDetectionContext availableContext() {
        return CLUSTER.get().pod().build();
    }
}
