/**
 * wif4j testkit: loopback-only emulators ({@link dev.wif4j.testkit.OidcIssuer},
 * {@link dev.wif4j.testkit.AnthropicEmulator}), a fake {@link dev.wif4j.spi.DetectionContext}
 * ({@link dev.wif4j.testkit.FakeDetectionContext}) and {@link dev.wif4j.testkit.IdentityProviderContract},
 * the abstract test every identity provider extends.
 */
module dev.wif4j.testkit {
    requires transitive dev.wif4j;
    requires transitive org.junit.jupiter.api;
    requires com.nimbusds.jose.jwt;
    requires com.fasterxml.jackson.databind;
    requires jdk.httpserver;
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.provider;
    // Only WorkloadApiEmulator uses gRPC; it is an optional dependency, absent unless a test brings it.
    requires static io.grpc;
    requires static io.grpc.netty.shaded;

    exports dev.wif4j.testkit;

    // JUnit discovers the contract's test methods reflectively when a subclass runs on the module path.
    opens dev.wif4j.testkit to org.junit.platform.commons;
}
