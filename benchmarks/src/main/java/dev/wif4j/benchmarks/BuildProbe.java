package dev.wif4j.benchmarks;

import dev.wif4j.WorkloadIdentity;

/**
 * A child process of the start-up runs: {@code WorkloadIdentity.fromEnvironment()} as an application calls it at
 * start-up (its settings, detection, the provider opened; no token yet). Prints {@code build_ns=<n>}, the time of
 * that call itself on the main thread, which every application pays before its first token whatever it does next.
 * Exits with 0.
 */
public final class BuildProbe {
    private BuildProbe() {}

    /**
     * Builds the identity once.
     *
     * @param args none
     */
    public static void main(String[] args) {
        long start = System.nanoTime();
        WorkloadIdentity identity = WorkloadIdentity.fromEnvironment();
        long elapsed = System.nanoTime() - start;
        System.out.println("build_ns=" + elapsed);
        identity.close();
        Runtime.getRuntime().exit(0);
    }
}
