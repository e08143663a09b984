package dev.wif4j.benchmarks;

import dev.wif4j.AccessToken;
import dev.wif4j.AnthropicCredentials;
import dev.wif4j.WorkloadIdentity;
import java.time.Clock;
import dev.wif4j.internal.cache.RefreshingCredentials;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reading a fresh cached token: {@code identity.credentials().token()} with an hour left on the token,
 * through the public API, with the real system clock. Target: under 20 ns per call, 0 B/op with
 * {@code -prof gc}, and the same per-thread cost with as many threads as cores.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class CachedTokenBenchmark {
    private Loopback loopback;
    private WorkloadIdentity identity;
    private AnthropicCredentials credentials;
    private RefreshingCredentials fixedClockCache;

    /** Exchanges the one token every call then reads. */
    @Setup(Level.Trial)
    public void exchangeOnce() {
        loopback = new Loopback(Clock.systemUTC(), Duration.ofHours(1));
        identity = loopback.identity(loopback::mint);
        credentials = identity.credentials();
        credentials.token();
        AccessToken token = new AccessToken("sk-ant-oat01-bench", Instant.now().plusSeconds(3600), null);
        fixedClockCache = new RefreshingCredentials(() -> token, Clock.fixed(Instant.now(), ZoneOffset.UTC));
        fixedClockCache.token();
    }

    /** Stops the emulators. */
    @TearDown(Level.Trial)
    public void stop() {
        identity.close();
        loopback.close();
    }

    /**
     * One thread.
     *
     * @return the token
     */
    @Benchmark
    @Threads(1)
    public AccessToken freshToken() {
        return credentials.token();
    }

    /**
     * As many threads as cores, all reading the same cache.
     *
     * @return the token
     */
    @Benchmark
    @Threads(Threads.MAX)
    public AccessToken freshTokenAllCores() {
        return credentials.token();
    }

    /**
     * The floor: the clock read every call needs, {@code System.currentTimeMillis()}.
     *
     * @return the time
     */
    @Benchmark
    @Threads(1)
    public long clockOnly() {
        return Clock.systemUTC().millis();
    }

    /**
     * wif4j's own share: the same cache with a clock whose read is a field load, so what is left is
     * the volatile load, the comparison and the call.
     *
     * @return the token
     */
    @Benchmark
    @Threads(1)
    public AccessToken freshTokenFixedClock() {
        return fixedClockCache.token();
    }

    /**
     * For comparison: {@code System.nanoTime()}.
     *
     * @return the time
     */
    @Benchmark
    @Threads(1)
    public long nanoTimeOnly() {
        return System.nanoTime();
    }
}
