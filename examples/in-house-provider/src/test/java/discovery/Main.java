package discovery;

import dev.wif4j.DetectionReport;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.spi.IdentityProvider;
import java.util.ServiceLoader;

/**
 * Run by {@code VaultDiscoveryTest} in a JVM of its own, as an application that knows nothing of Vault: it
 * asks wif4j what it found, and for an identity token.
 */
public final class Main {
    private Main() {
    }

    /**
     * Prints {@code key=value} lines and the detection table.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        ServiceLoader.load(IdentityProvider.class).stream()
                .filter(p -> p.type().getName().equals("com.acme.wif4j.vault.VaultIdentityProvider"))
                .forEach(p -> System.out.println("provider-module=" + p.type().getModule().getName()));
        DetectionReport report = WorkloadIdentity.builder().detect();
        System.out.print(report.toTable());
        System.out.println("chosen=" + report.chosen().orElse("none"));
        try (WorkloadIdentity identity = WorkloadIdentity.builder().build()) {
            System.out.println("subject=" + identity.fetchIdentityToken().subject().orElse("?"));
        } catch (RuntimeException e) {
            System.out.println("error=" + e.getClass().getSimpleName() + ": " + e.getMessage());
            System.exit(3);
        }
    }
}
