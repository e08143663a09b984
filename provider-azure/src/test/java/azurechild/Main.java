package azurechild;

import dev.wif4j.AccessToken;
import dev.wif4j.DetectionReport;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.WorkloadIdentityBuilder;
import dev.wif4j.spi.IdentityProvider;
import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.IdentityTokenException;
import java.util.ServiceLoader;

/**
 * Run by {@code ChildJvm} in a JVM of its own whose real environment points Azure Identity (and MSAL under it)
 * at the parent's emulators: builds a {@link WorkloadIdentity} with the {@code azure} provider and prints what
 * happened as {@code key=value} lines for the parent to assert.
 *
 * <p>Arguments: {@code tokens=N} exchanges (each after invalidating the last access token), or {@code fetch} for
 * one identity-token fetch without an exchange; {@code setting=<key>=<value>} for builder settings.
 */
public final class Main {
    private Main() {
    }

    /**
     * @param args see the class comment
     */
    public static void main(String[] args) {
        int tokens = 1;
        boolean fetchOnly = false;
        WorkloadIdentityBuilder builder = WorkloadIdentity.builder();
        for (String arg : args) {
            if (arg.startsWith("tokens=")) {
                tokens = Integer.parseInt(arg.substring("tokens=".length()));
            } else if (arg.equals("fetch")) {
                fetchOnly = true;
            } else if (arg.startsWith("setting=")) {
                String[] pair = arg.substring("setting=".length()).split("=", 2);
                builder.setting(pair[0], pair[1]);
            }
        }
        ServiceLoader.load(IdentityProvider.class).stream()
                .filter(p -> p.type().getName().endsWith("AzureIdentityProvider"))
                .forEach(p -> System.out.println("provider-module=" + p.type().getModule().getName()));
        long start = System.nanoTime();
        try (WorkloadIdentity identity = builder.build()) {
            System.out.println("chosen=" + identity.providerId());
            for (DetectionReport.Entry entry : identity.detection().entries()) {
                if (entry.id().equals("azure")) {
                    System.out.println("detection=" + entry.status() + "|" + entry.message());
                }
            }
            if (fetchOnly) {
                IdentityToken token = identity.fetchIdentityToken();
                System.out.println("subject=" + token.subject().orElse("?"));
                System.out.println("issuer=" + token.issuer().orElse("?"));
            } else {
                AccessToken last = null;
                for (int i = 1; i <= tokens; i++) {
                    if (last != null) {
                        identity.credentials().invalidate(last);
                    }
                    last = identity.credentials().token();
                    System.out.println("token." + i + "=ok");
                }
            }
        } catch (RuntimeException e) {
            System.out.println("error=" + e.getClass().getSimpleName() + ": " + e.getMessage().replace('\n', ' '));
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof IdentityTokenException ite) {
                    System.out.println("retryable=" + ite.isRetryable());
                    break;
                }
            }
        } finally {
            System.out.println("elapsed.ms=" + (System.nanoTime() - start) / 1_000_000);
        }
    }
}
