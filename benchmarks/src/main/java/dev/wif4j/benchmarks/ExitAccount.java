package dev.wif4j.benchmarks;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Java agent for the start-up probes ({@code -javaagent:} the benchmarks' own jar, whose manifest names this
 * class): when the probe's JVM exits it prints what the run cost besides its wall-clock time, one line that
 * {@link ColdStartReport} reads back. On two cores a start-up's wall-clock time follows its CPU time, the JIT
 * compilers' share of it, the heap it allocates and the young collections that allocation triggers; this line
 * says which of them an increment over the floor is made of.
 *
 * <p>The CPU time is read first, before this class loads the management classes it reads the rest with; those
 * add the same to every probe, so differences between probes are unaffected.
 */
public final class ExitAccount {
    private static final String PREFIX = "exit_account";
    private static final Pattern LINE = Pattern.compile(PREFIX + " cpu_ms=(-?\\d+) jit_ms=(-?\\d+) young_gcs=(\\d+)"
            + " gc_ms=(\\d+) allocated_kb=(\\d+)");

    private ExitAccount() {}

    /**
     * The agent's entry point: registers the hook that prints the line at exit.
     *
     * @param args ignored
     */
    public static void premain(String args) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.err.println(line()), "exit-account"));
    }

    /**
     * What this JVM has cost so far.
     *
     * @return the line, as {@link Costs#parse(String)} reads it
     */
    static String line() {
        long cpu = ProcessHandle.current().info().totalCpuDuration().map(Duration::toMillis).orElse(-1L);
        long jit = compilerThreadsCpuMillis();
        long gcs = 0;
        long gcMillis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            // Young collections only: the probes never fill the old generation, and the concurrent cycles' beans
            // count time that does not stop the application.
            if (gc.getName().contains("Young") || gc.getName().equals("Copy") || gc.getName().equals("PS Scavenge")) {
                gcs += gc.getCollectionCount();
                gcMillis += gc.getCollectionTime();
            }
        }
        long allocated = ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getTotalThreadAllocatedBytes();
        return String.format("%s cpu_ms=%d jit_ms=%d young_gcs=%d gc_ms=%d allocated_kb=%d", PREFIX, cpu, jit, gcs,
                gcMillis, allocated / 1024);
    }

    /**
     * The CPU time of the JIT compiler threads, from Linux's per-thread counters: the compilation time the JVM reports
     * itself is elapsed time, which grows with contention for the cores rather than with the work compiled.
     *
     * @return the milliseconds, or -1 where {@code /proc} has no such counters
     */
    static long compilerThreadsCpuMillis() {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            long ticks = 0;
            for (Path task : (Iterable<Path>) tasks::iterator) {
                // "C1 CompilerThre", "C2 CompilerThre": Linux cuts thread names at 15 characters.
                if (Files.readString(task.resolve("comm")).contains("CompilerThre")) {
                    String stat = Files.readString(task.resolve("stat"));
                    // After the command in parentheses: state is field 3, utime 14, stime 15.
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                }
            }
            return ticks * 10; // USER_HZ is 100 on every Linux this runs on
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * One run's costs.
     *
     * @param cpuMillis the process's CPU time, every thread's, the JIT compilers' and the collector's included
     * @param jitMillis the CPU time of the JIT compiler threads, or -1 where it cannot be read
     * @param youngGcs the young collections
     * @param gcMillis their pauses
     * @param allocatedKb the heap allocated by every thread, those that have ended included
     */
    record Costs(long cpuMillis, long jitMillis, long youngGcs, long gcMillis, long allocatedKb) {
        /**
         * Reads the line a probe printed.
         *
         * @param output everything the probe printed
         * @return its costs, if the agent ran
         */
        static Optional<Costs> parse(String output) {
            Matcher m = LINE.matcher(output);
            if (!m.find()) {
                return Optional.empty();
            }
            return Optional.of(new Costs(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                    Long.parseLong(m.group(3)), Long.parseLong(m.group(4)), Long.parseLong(m.group(5))));
        }
    }
}
