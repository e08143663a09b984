/**
 * The {@code spiffe} identity provider: JWT-SVIDs from the SPIFFE Workload API (a SPIRE agent, a service mesh),
 * through the SPIFFE project's java-spiffe library.
 *
 * <p>java-spiffe 0.8 cannot be loaded as named modules: its jars carry no module names and
 * {@code java-spiffe-core} and {@code grpc-netty-linux} both hold the package
 * {@code io.spiffe.workloadapi.internal} (spiffe/java-spiffe#108), so a plain module path fails to resolve. The
 * provider works on the class path; on the module path only with
 * {@code --patch-module java.spiffe.core=grpc-netty-linux.jar} (see the README).
 *
 * @provides dev.wif4j.spi.IdentityProvider the {@code spiffe} provider
 */
module dev.wif4j.provider.spiffe {
    requires transitive dev.wif4j;
    // Filename-based automatic module names: java-spiffe declares none (spiffe/java-spiffe#108).
    requires java.spiffe.core;
    requires io.grpc;

    exports dev.wif4j.provider.spiffe;

    provides dev.wif4j.spi.IdentityProvider with dev.wif4j.provider.spiffe.SpiffeIdentityProvider;
}
