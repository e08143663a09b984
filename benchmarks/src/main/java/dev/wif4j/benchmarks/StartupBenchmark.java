package dev.wif4j.benchmarks;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * From JVM start to the first access token: each invocation spawns a JVM that builds wif4j from its
 * environment and exchanges one token at the emulator on 127.0.0.1, and is timed from spawn to exit.
 * {@code cds=appcds} runs it with an application class-data archive made by a first run, which takes
 * most of class loading out: the difference is what class loading costs. {@code StartupReport} gives
 * the class-loading share from HotSpot's own counters.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 10)
@Fork(1)
@State(Scope.Benchmark)
public class StartupBenchmark {
    /** {@code CORE} or {@code ALL_PROVIDERS}. */
    @Param({"CORE", "ALL_PROVIDERS"})
    public String classPath;

    /** {@code default} or {@code appcds}. */
    @Param({"default", "appcds"})
    public String cds;

    private Startup startup;
    private List<String> options;

    /** Starts the emulators, and makes the class-data archive if asked. */
    @Setup(Level.Trial)
    public void start() {
        startup = new Startup();
        options = List.of();
        if (cds.equals("appcds")) {
            String archive = startup.workFile("app.jsa").toString();
            startup.prepareIdentityToken();
            startup.run(Startup.ClassPath.valueOf(classPath), List.of("-XX:ArchiveClassesAtExit=" + archive));
            options = List.of("-XX:SharedArchiveFile=" + archive);
        }
    }

    /** A new identity token for the next child. */
    @Setup(Level.Invocation)
    public void nextToken() {
        startup.prepareIdentityToken();
    }

    /** Stops the emulators. */
    @TearDown(Level.Trial)
    public void stop() {
        startup.close();
    }

    /**
     * One child JVM, spawn to exit.
     *
     * @return its wall-clock time in nanoseconds
     */
    @Benchmark
    public long jvmStartToFirstToken() {
        return startup.run(Startup.ClassPath.valueOf(classPath), options);
    }
}
