/**
 * The {@code gcp} identity provider: Google identity tokens from the metadata server (Cloud Run, Cloud Functions,
 * App Engine, Compute Engine, GKE with Workload Identity) or from a service-account key named by
 * {@code GOOGLE_APPLICATION_CREDENTIALS}, through the Google Auth Library.
 *
 * <p>The Google Auth Library and Google HTTP Client are automatic modules; the names required here are their
 * {@code Automatic-Module-Name} manifest entries.
 *
 * @provides dev.wif4j.spi.IdentityProvider the {@code gcp} provider
 */
module dev.wif4j.provider.gcp {
    requires transitive dev.wif4j;
    requires com.google.auth;
    requires com.google.auth.oauth2;
    requires com.google.api.client;
    // Not used here, but needed at run time by the automatic modules above: an automatic module reads every
    // module, yet only pulls other automatic modules into the graph, never explicit ones such as Guava and Gson.
    // Without these two, a modular application fails with NoClassDefFoundError (ModulePathTest).
    requires com.google.common;
    requires com.google.gson;

    exports dev.wif4j.provider.gcp;

    provides dev.wif4j.spi.IdentityProvider with dev.wif4j.provider.gcp.GcpIdentityProvider;
}
