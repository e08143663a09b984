/**
 * The {@code spiffe} identity provider: JWT-SVIDs from the SPIFFE Workload API (a SPIRE agent, a service mesh),
 * with grpc-java and the SPIFFE project's java-spiffe library (its generated Workload API messages and its JWT-SVID
 * checks).
 *
 * <p>java-spiffe and gRPC carry no module descriptors: on the module path they are automatic modules, and
 * java-spiffe's own dependencies are resolved with {@code --add-modules ALL-MODULE-PATH} (see the README).
 *
 * @provides dev.wif4j.spi.IdentityProvider the {@code spiffe} provider
 */
module dev.wif4j.provider.spiffe {
    requires transitive dev.wif4j;
    // Filename-based automatic module names: java-spiffe declares none (spiffe/java-spiffe#108).
    requires java.spiffe.core;
    requires io.grpc;
    requires io.grpc.netty.shaded;

    exports dev.wif4j.provider.spiffe;

    provides dev.wif4j.spi.IdentityProvider with dev.wif4j.provider.spiffe.SpiffeIdentityProvider;
}
