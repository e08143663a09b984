package dev.wif4j.benchmarks;

import dev.wif4j.DetectionReport;
import dev.wif4j.WorkloadIdentity;

/**
 * A child process of the start-up runs: detection as an application or {@code wif4j detect} runs it, from the
 * process environment, off the cloud. Prints {@code detect_ns=<n>}, the time of the {@code detect()} call itself;
 * exits with 0 when no provider is found (the expected verdict off the cloud), 2 when one is.
 */
public final class DetectProbe {
    private DetectProbe() {}

    /**
     * Detects once.
     *
     * @param args none
     */
    public static void main(String[] args) {
        long start = System.nanoTime();
        DetectionReport report = WorkloadIdentity.builder().detect();
        long elapsed = System.nanoTime() - start;
        System.out.println("detect_ns=" + elapsed);
        Runtime.getRuntime().exit(report.chosen().isPresent() ? 2 : 0);
    }
}
