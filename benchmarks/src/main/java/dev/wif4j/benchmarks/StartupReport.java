package dev.wif4j.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The figures JMH cannot give: where a child JVM's start-up time goes, from HotSpot's performance
 * counters (saved at exit with {@code -XX:+PerfDataSaveToFile} and read with {@code jstat -snap}),
 * and the footprint of wif4j-core and its dependencies. Prints a Markdown table.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.wif4j.benchmarks.StartupReport [runs]</pre>
 */
public final class StartupReport {
    private static final String[] COUNTERS = {
        "java.cls.loadedClasses", "java.cls.sharedLoadedClasses", "sun.cls.time", "sun.cls.classInitTime.self",
        "sun.os.hrt.ticks",
        "sun.rt.createVmBeginTime", "sun.rt.createVmEndTime", "sun.os.hrt.frequency",
    };

    private StartupReport() {}

    /**
     * Runs the probe and prints the report.
     *
     * @param args the number of runs per class path (default 5)
     * @throws Exception if a run fails
     */
    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        try (Startup startup = new Startup()) {
            System.out.println("| class path | wall ms | JVM lifetime ms | JVM create ms | classes loaded (from CDS) "
                    + "| class load+link+init ms (sun.cls.time) | of which static initializers' own code ms "
                    + "| loading without initializers ms | share of JVM lifetime |");
            System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
            for (Startup.Variant cp : List.of(Startup.Variant.FIRST_TOKEN_CORE, Startup.Variant.FIRST_TOKEN_ALL_PROVIDERS)) {
                startup.run(cp, List.of()); // the OS's file cache warm, as in the JMH runs
                List<Map<String, Long>> samples = new ArrayList<>();
                List<Long> walls = new ArrayList<>();
                for (int i = 0; i < runs; i++) {
                    Path perf = startup.workFile("run.hsperf");
                    walls.add(startup.run(cp, List.of("-XX:+UsePerfData", "-XX:+PerfDataSaveToFile",
                            "-XX:PerfDataSaveFile=" + perf)).nanos());
                    samples.add(counters(perf));
                }
                double hz = samples.get(0).get("sun.os.hrt.frequency");
                double wall = median(walls) / 1e6;
                double lifetime = medianOf(samples, "sun.os.hrt.ticks") / hz * 1000;
                double create = medianOf(samples, s -> s.get("sun.rt.createVmEndTime") - s.get("sun.rt.createVmBeginTime"));
                double cls = medianOf(samples, "sun.cls.time") / hz * 1000;
                double init = medianOf(samples, "sun.cls.classInitTime.self") / hz * 1000;
                double loading = medianOf(samples, s -> s.get("sun.cls.time") - s.get("sun.cls.classInitTime.self")) / hz
                        * 1000;
                System.out.printf("| %s | %.0f | %.0f | %.0f | %.0f (%.0f) | %.0f | %.0f | %.0f | %.0f %% |%n", cp, wall,
                        lifetime, create, medianOf(samples, "java.cls.loadedClasses"),
                        medianOf(samples, "java.cls.sharedLoadedClasses"), cls, init, loading, 100 * loading / lifetime);
            }
            System.out.println();
            System.out.println("| jar | bytes |");
            System.out.println("| --- | --- |");
            long total = 0;
            for (Path jar : startup.jars(Startup.ClassPath.CORE)) {
                long size = Files.size(jar);
                total += size;
                System.out.printf("| %s | %,d |%n", jar.getFileName(), size);
            }
            System.out.printf("| wif4j-core with its dependencies | %,d |%n", total);
            long all = 0;
            List<Path> allJars = startup.jars(Startup.ClassPath.ALL_PROVIDERS);
            for (Path jar : allJars) {
                all += Files.size(jar);
            }
            System.out.printf("| every provider with its dependencies (%d jars) | %,d |%n", allJars.size(), all);
        }
    }

    /** Reads the saved counters with the JDK's {@code jstat}. */
    private static Map<String, Long> counters(Path perf) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Path jstat = Path.of(java).getParent().resolve("jstat");
        Process p = new ProcessBuilder(jstat.toString(), "-J-Djstat.showUnsupported=true", "-snap",
                perf.toUri().toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("jstat failed: " + out);
        }
        Map<String, Long> values = new HashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                String name = line.substring(0, eq).strip();
                for (String wanted : COUNTERS) {
                    if (wanted.equals(name)) {
                        values.put(name, Long.parseLong(line.substring(eq + 1).strip()));
                    }
                }
            }
        }
        for (String wanted : COUNTERS) {
            if (!values.containsKey(wanted)) {
                throw new UncheckedIOException(new IOException("jstat did not report " + wanted));
            }
        }
        return values;
    }

    private static double medianOf(List<Map<String, Long>> samples, String counter) {
        return medianOf(samples, s -> s.get(counter));
    }

    private static double medianOf(List<Map<String, Long>> samples, java.util.function.ToLongFunction<Map<String, Long>> f) {
        List<Long> values = new ArrayList<>();
        samples.forEach(s -> values.add(f.applyAsLong(s)));
        return median(values);
    }

    private static double median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }
}
