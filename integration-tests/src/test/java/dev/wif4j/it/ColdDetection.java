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
     * Detects and prints the verdict; with the argument {@code token}, gets the first access token instead.
     *
     * @param args nothing, or {@code token}
     */
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("token")) {
            // The first access token instead, as an application gets it: from the environment alone.
            try (WorkloadIdentity identity = WorkloadIdentity.fromEnvironment()) {
                System.out.println("token " + (identity.credentials().token().value().startsWith("sk-ant-oat01-")
                        ? "ok" : "unexpected"));
            }
            return;
        }
        DetectionReport report = WorkloadIdentity.builder().detect();
        Detected.mark(); // its class load marks, in the log, where detection ended and printing begins
        System.out.print(report.toTable());
        System.out.println("chosen=" + report.chosen().orElse("none"));
        System.out.println("entries=" + report.entries().size());
    }

    /** Loaded once detection has returned: the test reads the classes loaded before it as detection's. */
    static final class Detected {
        private Detected() {}

        static void mark() {
            // Loading the class is the mark.
        }
    }
}
