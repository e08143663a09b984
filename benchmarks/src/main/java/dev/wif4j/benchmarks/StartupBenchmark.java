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
 * From JVM start to a first result: each invocation spawns a JVM that runs one {@link Startup.Variant} (the
 * first access token, the detection verdict off the cloud, the first {@code /v1/messages} answer; wif4j and
 * its peers: Google's ADC, the AWS default chain, the official client alone and with wif4j) against the
 * emulators on 127.0.0.1, and is timed from spawn to exit. {@code ColdStartReport} runs every variant in
 * turn, round after round, and prints medians and ratios from one run.
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
    /** A {@link Startup.Variant}. */
    @Param({"FIRST_TOKEN_CORE", "FIRST_TOKEN_ALL_PROVIDERS", "DETECT_ALL_PROVIDERS", "DETECT_ALL_PROVIDERS_NO_HOSTS",
        "DETECT_CORE", "GOOGLE_ADC", "AWS_DEFAULT_CHAIN", "MESSAGES_CORE_HTTPS", "MESSAGES_CORE_HTTP",
        "MESSAGES_SHARED_CLIENT_HTTPS", "MESSAGES_SHARED_CLIENT_HTTP", "RAW_JDK_HTTPS", "RAW_JDK_HTTP", "OFFICIAL_HTTPS",
        "OFFICIAL_HTTP", "OFFICIAL_WIF4J_HTTPS", "OFFICIAL_WIF4J_HTTP"})
    public String variant;

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
            startup.run(Startup.Variant.valueOf(variant), List.of("-XX:ArchiveClassesAtExit=" + archive));
            options = List.of("-XX:SharedArchiveFile=" + archive);
        }
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
        return startup.run(Startup.Variant.valueOf(variant), options).nanos();
    }
}
