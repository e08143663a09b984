package dev.wif4j.internal.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.AccessToken;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * Thousands of workloads that start in the same second, on one virtual clock: how many exchanges per
 * second reach the token endpoint when their tokens come up for refresh. Each simulated workload asks
 * its cache for a token once a (virtual) second; background refreshes run inline so every count is
 * exact and the run takes no real time.
 */
class FleetRefreshSimulationTest {
    private static final int FLEET = 5_000;
    /** The federation rule's token lifetime. */
    private static final long LIFETIME_SECONDS = 600;
    /** Long enough for three refresh waves after the start. */
    private static final int SIMULATED_SECONDS = 3 * 600 + 60;
    /** The width of the window the advisory points are drawn from: 120 s to 60 s before expiry. */
    private static final double WINDOW_SECONDS =
            (RefreshingCredentials.ADVISORY_MILLIS - RefreshingCredentials.LATEST_ADVISORY_MILLIS) / 1000.0;

    /** Exchanges per simulated second, the start-up burst at second 0 included. */
    private static int[] simulate(LongSupplier advisoryLead) {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));
        long start = clock.millis();
        int[] perSecond = new int[SIMULATED_SECONDS + 1];
        List<RefreshingCredentials> fleet = new ArrayList<>(FLEET);
        for (int i = 0; i < FLEET; i++) {
            fleet.add(new RefreshingCredentials(() -> {
                perSecond[(int) ((clock.millis() - start) / 1000)]++;
                return new AccessToken("sk-ant-oat01-sim", clock.instant().plusSeconds(LIFETIME_SECONDS), null);
            }, clock, advisoryLead, Runnable::run));
        }
        for (int second = 0; second <= SIMULATED_SECONDS; second++) {
            for (RefreshingCredentials cache : fleet) {
                cache.token();
            }
            clock.advance(Duration.ofSeconds(1));
        }
        return perSecond;
    }

    /** The busiest second after the start-up burst. */
    private static int peakRefreshRate(int[] perSecond) {
        int peak = 0;
        for (int s = 1; s < perSecond.length; s++) {
            peak = Math.max(peak, perSecond[s]);
        }
        return peak;
    }

    @Test
    void jitteredAdvisoryRefreshKeepsThePeakRateCloseToTheMean() {
        Random random = new Random(42); // fixed seed: the figure in PERFORMANCE.md is reproducible
        LongSupplier jitter = () -> RefreshingCredentials.LATEST_ADVISORY_MILLIS
                + (long) (random.nextDouble() * (RefreshingCredentials.ADVISORY_MILLIS
                        - RefreshingCredentials.LATEST_ADVISORY_MILLIS));
        int[] perSecond = simulate(jitter);
        int refreshes = 0;
        for (int s = 1; s < perSecond.length; s++) {
            refreshes += perSecond[s];
        }
        assertEquals(FLEET, perSecond[0], "every workload exchanges once at start-up");
        assertEquals(3 * FLEET, refreshes, "each workload refreshes once per token lifetime, never twice");
        // The mean is the rate if one wave of refreshes were spread evenly over the advisory window.
        double mean = FLEET / WINDOW_SECONDS;
        int peak = peakRefreshRate(perSecond);
        System.out.printf("fleet of %d, %d s tokens: peak %d exchanges/s, mean over the %.0f s window %.1f/s,"
                + " peak/mean %.2f%n", FLEET, LIFETIME_SECONDS, peak, WINDOW_SECONDS, mean, peak / mean);
        assertTrue(peak <= 2 * mean, "peak " + peak + "/s against a mean of " + mean + "/s");
    }

    @Test
    void withoutJitterTheWholeFleetRefreshesInTheSameSecond() {
        int[] perSecond = simulate(() -> RefreshingCredentials.ADVISORY_MILLIS);
        assertEquals(FLEET, peakRefreshRate(perSecond), "the problem the jitter solves");
    }
}
