package dev.wif4j.provider.k8s;

import dev.wif4j.spi.IdentityProvider;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.IdentityProviderContract;
import dev.wif4j.testkit.OidcIssuer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The {@code k8s} provider's projected-file source keeps the provider contract. */
class K8sProjectedFileContractTest extends IdentityProviderContract {
    static OidcIssuer issuer;

    @BeforeAll
    static void start() {
        issuer = OidcIssuer.start();
    }

    @AfterAll
    static void stop() {
        issuer.close();
    }

    @Override
    protected IdentityProvider provider() {
        return new K8sIdentityProvider();
    }

    @Override
    protected FakeDetectionContext availableContext() {
        return FakeDetectionContext.builder()
                .file(K8sCluster.PROJECTED, issuer.mint().subject(K8sCluster.SUBJECT).sign())
                .build();
    }

    /** The kubelet rewrites the file when it rotates the token; between rotations every read sees the same. */
    @Override
    protected boolean mintsFreshTokens() {
        return false;
    }
}
