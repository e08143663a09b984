package dev.wif4j.it;

import dev.wif4j.DetectionReport;
import dev.wif4j.WorkloadIdentity;

/**
 * The child JVM of {@link ColdDetectionTest}: detection as an application (or {@code wif4j detect}) runs it,
 * configured by the process environment alone. Prints the report and the verdict.
 */
public final class ColdDetection {
    private ColdDetection() {}

    /**
     * Detects and prints the verdict.
     *
     * @param args none
     */
    public static void main(String[] args) {
        DetectionReport report = WorkloadIdentity.builder().detect();
        System.out.print(report.toTable());
        System.out.println("chosen=" + report.chosen().orElse("none"));
        System.out.println("entries=" + report.entries().size());
    }
}
