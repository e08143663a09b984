package dev.wif4j.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that moves only when told to, shared by a {@link FakeDetectionContext}, an {@link OidcIssuer}
 * and an {@link AnthropicEmulator} so a test can walk a token towards its expiry without waiting.
 * Thread-safe; {@link #millis()} does not allocate.
 */
public final class ManualClock extends Clock {

    private volatile long millis;

    /**
     * @param start the initial instant
     */
    public ManualClock(Instant start) {
        this.millis = start.toEpochMilli();
    }

    /** @return a clock starting at the current system time, truncated to the second */
    public static ManualClock startingNow() {
        return new ManualClock(Instant.ofEpochSecond(Instant.now().getEpochSecond()));
    }

    /**
     * Moves the clock forward.
     *
     * @param duration how far
     */
    public synchronized void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("a clock only moves forward in tests: " + duration);
        }
        millis += duration.toMillis();
    }

    /**
     * Sets the time.
     *
     * @param instant the new time
     */
    public synchronized void set(Instant instant) {
        millis = instant.toEpochMilli();
    }

    @Override
    public long millis() {
        return millis;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        if (!ZoneOffset.UTC.equals(zone)) {
            throw new UnsupportedOperationException("a ManualClock is in UTC");
        }
        return this;
    }

    @Override
    public String toString() {
        return "ManualClock[" + instant() + "]";
    }
}
