package dev.wif4j.benchmarks;

import java.util.ServiceLoader;

/**
 * A child process of the start-up runs: the floor of detection on a class path. The JDK's {@link ServiceLoader}
 * looks for a service no jar provides, which reads every jar's {@code META-INF/services}, as wif4j's discovery
 * (and any other {@code ServiceLoader}-based library's) must. Prints {@code detect_ns=<n>}, the time of that lookup,
 * so the report puts it beside {@code detect()}; exits with 0 when nothing was found.
 */
public final class ServiceScanProbe {
    private ServiceScanProbe() {}

    /** A service nothing provides. */
    public interface Nothing {}

    /**
     * Looks once.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        long start = System.nanoTime();
        boolean found = ServiceLoader.load(Nothing.class).iterator().hasNext();
        long elapsed = System.nanoTime() - start;
        System.out.println("detect_ns=" + elapsed);
        Runtime.getRuntime().exit(found ? 2 : 0);
    }
}
