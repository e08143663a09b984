package child;

import dev.wif4j.WorkloadIdentity;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Run by {@code SpiffeRogueAgentTest} in a small-heap JVM of its own: for each line read from stdin, one fetch on the
 * main thread ({@code fetch}: {@link WorkloadIdentity#fetchIdentityToken()}, as an application waits in it) or one
 * access token ({@code token}: through wif4j's exchange and its retries), then one line saying how it ended and how
 * long it took.
 */
public final class FetchOnCommand {
    private FetchOnCommand() {
    }

    /**
     * @param args unused
     * @throws Exception when stdin cannot be read
     */
    public static void main(String[] args) throws Exception {
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (WorkloadIdentity identity = WorkloadIdentity.fromEnvironment()) {
            System.out.println("ready");
            for (String command = commands.readLine(); command != null; command = commands.readLine()) {
                long start = System.nanoTime();
                String outcome;
                try {
                    if (command.equals("token")) {
                        identity.credentials().token();
                    } else {
                        identity.fetchIdentityToken();
                    }
                    outcome = "a token";
                } catch (RuntimeException e) {
                    outcome = e.getClass().getSimpleName() + ": " + e.getMessage();
                }
                System.out.println("done " + (System.nanoTime() - start) / 1_000_000 + " ms " + outcome);
            }
        }
    }
}
