package dev.wif4j.benchmarks;

import dev.wif4j.DetectionReport;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.testkit.FakeDetectionContext;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Detection off the cloud with every provider on the class path: no variable, no file, no metadata
 * server, and a network that refuses every request (see {@code DetectionOffTheCloudTest} for the
 * assertion that none is made). What {@code WorkloadIdentity.builder().detect()} costs, provider
 * discovery with {@link java.util.ServiceLoader} included. Target: under 10 ms in a warm JVM.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class DetectionBenchmark {
    private FakeDetectionContext offTheCloud;

    /** An empty world. */
    @Setup(Level.Trial)
    public void start() {
        offTheCloud = FakeDetectionContext.builder().networkForbidden().build();
    }

    /** Deletes the world's directory. */
    @TearDown(Level.Trial)
    public void stop() {
        offTheCloud.close();
    }

    /**
     * Warm detection.
     *
     * @return the report, with no provider chosen
     */
    @Benchmark
    public DetectionReport detectWarm() {
        DetectionReport report = WorkloadIdentity.builder().context(offTheCloud).detect();
        if (report.chosen().isPresent()) {
            throw new IllegalStateException("a provider was found off the cloud: " + report.chosen().get());
        }
        return report;
    }

    /**
     * The first detection in a fresh JVM (providers' classes loaded and initialized), once per fork.
     *
     * @return the report
     */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    @Fork(5)
    public DetectionReport detectCold() {
        return WorkloadIdentity.builder().context(offTheCloud).detect();
    }
}
