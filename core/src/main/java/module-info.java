/**
 * wif4j core: workload identity federation for the Claude API. Applications use
 * {@link dev.wif4j.WorkloadIdentity}; provider authors implement
 * {@link dev.wif4j.spi.IdentityProvider}, building on {@link dev.wif4j.spi.support}, the provider
 * support kit.
 *
 * @uses dev.wif4j.spi.IdentityProvider
 * @provides dev.wif4j.spi.IdentityProvider the built-in {@code file} and {@code literal} providers
 */
module dev.wif4j {
    requires transitive java.net.http;
    requires com.fasterxml.jackson.core;
    // Optional: this process's uid for SafePaths' owner checks; without it, owners are not checked.
    requires static jdk.security.auth;

    exports dev.wif4j;
    exports dev.wif4j.spi;
    exports dev.wif4j.spi.support;

    uses dev.wif4j.spi.IdentityProvider;

    provides dev.wif4j.spi.IdentityProvider with
            dev.wif4j.internal.provider.FileIdentityProvider,
            dev.wif4j.internal.provider.LiteralIdentityProvider;
}
