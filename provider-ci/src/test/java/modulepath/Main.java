package modulepath;

import dev.wif4j.WorkloadIdentity;
import dev.wif4j.spi.IdentityProvider;
import dev.wif4j.spi.IdentityToken;
import java.util.ServiceLoader;

/**
 * Run by {@code CiDiscoveryTest} in a JVM of its own, as an application that never names the provider: finds the
 * {@code ci} provider through ServiceLoader and asks wif4j for an identity token.
 */
public final class Main {
    private Main() {
    }

    /**
     * Prints {@code key=value} lines.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        ServiceLoader.load(IdentityProvider.class).stream()
                .filter(p -> p.type().getName().equals("dev.wif4j.provider.ci.CiIdentityProvider"))
                .forEach(p -> System.out.println("provider-module=" + p.type().getModule().getName()));
        try (WorkloadIdentity identity = WorkloadIdentity.fromEnvironment()) {
            IdentityToken token = identity.fetchIdentityToken();
            System.out.println("chosen=" + identity.providerId());
            System.out.println("subject=" + token.subject().orElse("?"));
        } catch (RuntimeException e) {
            System.out.println("error=" + e.getClass().getSimpleName() + ": " + e.getMessage());
            System.exit(3);
        }
    }
}
