package dev.wif4j.benchmarks;

import dev.wif4j.AccessToken;
import dev.wif4j.AnthropicCredentials;
import dev.wif4j.WorkloadIdentity;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * Callers' latency while the token sits in the advisory window and a background refresh is in flight
 * nearly all the time. The rule issues 60 s tokens, so every token is born inside the advisory window
 * (its advisory point is 60–120 s before expiry) and each refresh starts the next; every exchange is
 * slowed by a {@value #EXCHANGE_DELAY_MILLIS} ms identity fetch. A caller that waited for an exchange
 * would show a latency of at least that much in the sample's maximum ({@code p1.00}).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class AdvisoryRefreshBenchmark {
    static final long EXCHANGE_DELAY_MILLIS = 250;

    private Loopback loopback;
    private WorkloadIdentity identity;
    private AnthropicCredentials credentials;
    private AccessToken first;
    private final AtomicInteger fetches = new AtomicInteger();

    /** Exchanges the first token. */
    @Setup(Level.Trial)
    public void start() {
        loopback = new Loopback(Clock.systemUTC(), Duration.ofSeconds(60));
        identity = loopback.identity(() -> {
            fetches.incrementAndGet();
            try {
                Thread.sleep(EXCHANGE_DELAY_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return loopback.mint();
        });
        credentials = identity.credentials();
        first = credentials.token();
    }

    /** Checks that background refreshes did happen while the callers were measured. */
    @TearDown(Level.Trial)
    public void stop() {
        AccessToken last = credentials.token();
        identity.close();
        loopback.close();
        if (fetches.get() < 10 || last.equals(first)) {
            throw new IllegalStateException("only " + fetches.get() + " refreshes: the benchmark measured no advisory window");
        }
    }

    /**
     * As many callers as cores.
     *
     * @return the token
     */
    @Benchmark
    @Threads(Threads.MAX)
    public AccessToken advisoryToken() {
        return credentials.token();
    }
}
