package dev.wif4j.internal.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.AccessToken;
import dev.wif4j.WorkloadIdentityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.junit.jupiter.api.Test;

/**
 * Many readers against refreshes, invalidations, failures and a jumping clock. Every token handed out
 * must have had more than the mandatory 30 s left when it was returned, and no two exchanges may ever
 * run at once (single flight, background refreshes included).
 */
class RefreshingCredentialsStressTest {
    private static final int READERS = 16;
    private static final Duration RUN = Duration.ofMillis(1500);

    @Test
    void readersNeverSeeAnExpiringTokenAndExchangesNeverOverlap() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));
        // Readers hold the read lock across token() and their check, so the clock cannot jump between
        // the cache's decision and the check; the chaos thread takes the write lock to move it.
        ReentrantReadWriteLock time = new ReentrantReadWriteLock();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        AtomicInteger exchanges = new AtomicInteger();
        AtomicInteger failuresInjected = new AtomicInteger();
        ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();

        RefreshingCredentials credentials = new RefreshingCredentials(() -> {
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            try {
                int n = exchanges.incrementAndGet();
                if (ThreadLocalRandom.current().nextInt(100) < 10) {
                    Thread.sleep(0, 200_000);
                }
                if (ThreadLocalRandom.current().nextInt(100) < 20) {
                    failuresInjected.incrementAndGet();
                    throw new WorkloadIdentityException("injected failure " + n);
                }
                // Lifetimes from 31 s (almost mandatory at once) to 10 min.
                long lifetime = 31 + ThreadLocalRandom.current().nextLong(570);
                return new AccessToken("sk-ant-oat01-stress-" + n, clock.instant().plusSeconds(lifetime), null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WorkloadIdentityException("interrupted");
            } finally {
                inFlight.decrementAndGet();
            }
        }, clock);

        AtomicInteger served = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger invalidations = new AtomicInteger();
        AtomicInteger clockJumps = new AtomicInteger();
        long end = System.nanoTime() + RUN.toNanos();
        // At least RUN, and on a loaded machine until every path below has been exercised (bounded by the
        // 30 s guard): a fixed time alone made the counts depend on what else the machine was doing.
        java.util.function.BooleanSupplier running = () -> System.nanoTime() < end || clockJumps.get() <= 150
                || served.get() <= 1500 || exchanges.get() <= 150 || invalidations.get() == 0
                || failed.get() == 0;
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < READERS; i++) {
            threads.add(new Thread(() -> {
                while (running.getAsBoolean()) {
                    time.readLock().lock();
                    try {
                        AccessToken t = credentials.token();
                        long left = t.expiresAtMillis() - clock.millis();
                        if (left <= RefreshingCredentials.MANDATORY_MILLIS) {
                            violations.add(t + " returned with " + left + " ms left");
                        }
                        served.incrementAndGet();
                        if (ThreadLocalRandom.current().nextInt(1000) == 0) {
                            // As after a 401 (dropped at most once a minute of the clock), or as an application's
                            // invalidate(), which is not bounded: the run needs many drops racing the readers.
                            if (ThreadLocalRandom.current().nextBoolean()) {
                                credentials.invalidate(t);
                            } else {
                                credentials.invalidate();
                            }
                            invalidations.incrementAndGet();
                        }
                    } catch (WorkloadIdentityException e) {
                        failed.incrementAndGet();
                    } finally {
                        time.readLock().unlock();
                    }
                }
            }, "stress-reader-" + i));
        }
        threads.add(new Thread(() -> {
            while (running.getAsBoolean()) {
                time.writeLock().lock();
                try {
                    clock.advance(Duration.ofMillis(ThreadLocalRandom.current().nextLong(20_000)));
                    clockJumps.incrementAndGet();
                    if (ThreadLocalRandom.current().nextInt(20) == 0) {
                        credentials.invalidate();
                        invalidations.incrementAndGet();
                    }
                } finally {
                    time.writeLock().unlock();
                }
                Thread.yield();
            }
        }, "stress-chaos"));

        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
        });
        credentials.close();

        assertTrue(violations.isEmpty(), violations.size() + " tokens too close to expiry, e.g. " + violations.peek());
        assertEquals(1, maxInFlight.get(), "exchanges overlapped");
        // The run must really have exercised every path.
        assertTrue(served.get() > 1000, "served " + served);
        assertTrue(exchanges.get() > 100, "exchanges " + exchanges);
        assertTrue(failed.get() > 0 && failuresInjected.get() > 0, "failures " + failed + "/" + failuresInjected);
        assertTrue(invalidations.get() > 0 && clockJumps.get() > 100, invalidations + " invalidations, " + clockJumps + " clock jumps");
        System.out.printf("stress: %d tokens served, %d calls failed, %d exchanges (%d failed), %d invalidations, "
                + "%d clock jumps, max in flight %d%n", served.get(), failed.get(), exchanges.get(),
                failuresInjected.get(), invalidations.get(), clockJumps.get(), maxInFlight.get());
    }
}
