package dev.wif4j.internal.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.DetectionReport.Entry;
import dev.wif4j.spi.Detection;
import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.IdentityProvider;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.spi.support.MapContext;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The parallel detection: one deadline for all, a provider that hangs or throws an Error costs only its own verdict. */
class DetectorTest {

    @Test
    void aProviderPastTheDeadlineIsUnavailableAndInterruptedWhileTheOthersAreHeard() throws Exception {
        CountDownLatch interrupted = new CountDownLatch(1);
        IdentityProvider hangs = provider("hangs", 30, () -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
            return Detection.available("too late");
        });
        IdentityProvider fails = provider("fails", 20, () -> {
            throw new AssertionError("boom");
        });
        IdentityProvider works = provider("works", 10, () -> Detection.available("here"));
        long start = System.nanoTime();
        Detector.Outcome outcome = Detector.detect(List.of(LoadedProvider.of(hangs), LoadedProvider.of(fails),
                LoadedProvider.of(works)), new MapContext(), null, Set.of(), Duration.ofMillis(300));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "the deadline is kept");
        assertEquals("works", outcome.chosen().id());
        assertEquals("detection did not finish within 300 ms (a network probe that timed out?)",
                entry(outcome, "hangs").message());
        assertEquals("detection failed: java.lang.AssertionError: boom", entry(outcome, "fails").message());
        assertTrue(interrupted.await(10, TimeUnit.SECONDS), "the late detection is interrupted");
    }

    private static Entry entry(Detector.Outcome outcome, String id) {
        for (Entry e : outcome.report().entries()) {
            if (e.id().equals(id)) {
                return e;
            }
        }
        throw new AssertionError(id + " is not in the report");
    }

    private interface Verdict {
        Detection get();
    }

    private static IdentityProvider provider(String id, int priority, Verdict verdict) {
        return new IdentityProvider() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public int priority() {
                return priority;
            }

            @Override
            public Detection detect(DetectionContext context) {
                return verdict.get();
            }

            @Override
            public IdentityTokenSource open(DetectionContext context) {
                throw new UnsupportedOperationException();
            }
        };
    }
}
