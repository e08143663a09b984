package dev.wif4j.provider.k8s;

import dev.wif4j.spi.IdentityProvider;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.IdentityProviderContract;
import dev.wif4j.testkit.OidcIssuer;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The {@code k8s} provider's projected-file source keeps the provider contract. */
class K8sProjectedFileContractTest extends IdentityProviderContract {
    @RegisterExtension
    static final Started<OidcIssuer> ISSUER = new Started<>(OidcIssuer::start);

    @Override
    protected IdentityProvider provider() {
        return new K8sIdentityProvider();
    }

    @Override
    protected FakeDetectionContext availableContext() {
        return FakeDetectionContext.builder()
                .file(K8sCluster.PROJECTED, ISSUER.get().mint().subject(K8sCluster.SUBJECT).sign())
                .build();
    }

    /** The kubelet rewrites the file when it rotates the token; between rotations every read sees the same. */
    @Override
    protected boolean mintsFreshTokens() {
        return false;
    }
}
