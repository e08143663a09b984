package dev.wif4j.benchmarks;

import dev.wif4j.AccessToken;
import dev.wif4j.WorkloadIdentity;

/**
 * The child process of the start-up measurements: what an application does first, configured by the
 * environment alone (the documented {@code ANTHROPIC_*} variables and a token file). Exits with 0 once
 * it holds an access token, with 2 if the token looks wrong; an exception exits with 1.
 */
public final class StartupProbe {
    private StartupProbe() {}

    /**
     * Builds wif4j from the environment and obtains the first access token.
     *
     * @param args none
     */
    public static void main(String[] args) {
        int status;
        try (WorkloadIdentity identity = WorkloadIdentity.fromEnvironment()) {
            AccessToken token = identity.credentials().token();
            status = token.value().startsWith("sk-ant-") ? 0 : 2;
        }
        Runtime.getRuntime().exit(status);
    }
}
