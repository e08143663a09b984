package modulepath;

import dev.wif4j.WorkloadIdentity;
import dev.wif4j.spi.IdentityProvider;
import dev.wif4j.spi.IdentityToken;
import java.util.ServiceLoader;

/**
 * Run by {@code SpiffeModulePathTest} in a JVM of its own, with wif4j and java-spiffe on the module path: finds
 * the {@code spiffe} provider through its {@code provides} clause and fetches a JWT-SVID through java-spiffe.
 */
public final class Main {
    private Main() {
    }

    /**
     * @param args unused
     */
    public static void main(String[] args) {
        ServiceLoader.load(IdentityProvider.class).stream()
                .filter(p -> p.type().getName().endsWith("SpiffeIdentityProvider"))
                .forEach(p -> System.out.println("provider-module=" + p.type().getModule().getName()));
        try (WorkloadIdentity identity = WorkloadIdentity.fromEnvironment()) {
            IdentityToken token = identity.fetchIdentityToken();
            System.out.println("chosen=" + identity.providerId());
            System.out.println("subject=" + token.subject().orElse("?"));
            System.out.println("spiffe-module=" + io.spiffe.svid.jwtsvid.JwtSvid.class.getModule().getName());
        } catch (RuntimeException e) {
            System.out.println("error=" + e.getClass().getSimpleName() + ": " + e.getMessage());
            System.exit(3);
        }
    }
}
