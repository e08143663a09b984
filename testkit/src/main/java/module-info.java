/**
 * wif4j testkit: loopback-only emulators of one shape, {@link dev.wif4j.testkit.Emulator}
 * ({@link dev.wif4j.testkit.OidcIssuer}, {@link dev.wif4j.testkit.AnthropicEmulator} and one per cloud), a fake {@link dev.wif4j.spi.DetectionContext}
 * ({@link dev.wif4j.testkit.FakeDetectionContext}) and {@link dev.wif4j.testkit.IdentityProviderContract},
 * the abstract test every identity provider extends. An in-house provider's tests build their own emulator on
 * {@link dev.wif4j.testkit.LoopbackEmulator}.
 *
 * <p>The built-in emulators read and write JSON with jackson-databind, which testkit does not bring (an optional
 * dependency, {@code requires static}): a project that uses them declares databind in test scope, and on the module
 * path resolves it (a module that requires it, or {@code --add-modules com.fasterxml.jackson.databind}).
 */
module dev.wif4j.testkit {
    requires transitive dev.wif4j;
    // Static: only IdentityProviderContract (JUnit) and SelfSignedTls (BouncyCastle, for https emulators) use
    // them; a test that uses either brings the library itself.
    requires static org.junit.jupiter.api;
    requires com.nimbusds.jose.jwt;
    // Static, as the POM's optional: the emulators use the Jackson databind of the project under test, which
    // declares it beside testkit (on the module path, a module that requires it or --add-modules resolves it).
    // ModuleAgreesWithPomTest keeps the two in step.
    requires static com.fasterxml.jackson.databind;
    requires jdk.httpserver;
    // SecretCanaries captures platform logging (System.Logger lands in java.util.logging); no JUL type is in its API.
    requires java.logging;
    requires static org.bouncycastle.pkix;
    requires static org.bouncycastle.provider;
    // Only WorkloadApiEmulator uses gRPC; it is an optional dependency, absent unless a test brings it.
    requires static io.grpc;
    requires static io.grpc.netty.shaded;

    exports dev.wif4j.testkit;

    // JUnit discovers the contract's test methods reflectively when a subclass runs on the module path.
    opens dev.wif4j.testkit to org.junit.platform.commons;
}
