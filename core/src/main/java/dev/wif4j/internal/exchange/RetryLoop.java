package dev.wif4j.internal.exchange;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The one owner of the exchange's retries: runs attempts until one succeeds, one fails for good, the attempts
 * are used up or the deadline leaves no room, pausing between them for the server's {@code Retry-After} or an
 * exponential backoff with jitter. Time is injected (a {@link Sleeper} and a nanosecond clock) so that tests
 * run the pauses without sleeping.
 */
final class RetryLoop {
    /** Pauses the calling thread; production uses {@link Thread#sleep(long)}. */
    @FunctionalInterface
    interface Sleeper {
        /** Sleeps with {@link Thread#sleep(long)}, to the millisecond. */
        Sleeper THREAD = SystemTime.INSTANCE;

        /**
         * Pauses.
         *
         * @param pause how long
         * @throws InterruptedException if the thread was interrupted meanwhile
         */
        void sleep(Duration pause) throws InterruptedException;
    }

    /** One attempt: a result, a {@link Retryable} failure, or any other exception, which ends the loop. */
    @FunctionalInterface
    interface Attempt<T> {
        /**
         * Runs the attempt.
         *
         * @param end the {@code nanoTime} past which no work may run
         * @return the result
         * @throws Retryable if another attempt may succeed
         */
        T run(long end) throws Retryable;
    }

    /**
     * How the loop ended: a value, or the failure the caller gets.
     *
     * @param value the result, or {@code null} on failure
     * @param failure the failure, or {@code null} on success
     * @param attempts how many attempts ran, at least 1
     * @param elapsed the time from the start to the end, pauses included
     */
    record Outcome<T>(T value, RuntimeException failure, int attempts, Duration elapsed) {}

    /** {@link System#nanoTime()}, the clock production keeps the deadline with. */
    static final LongSupplier SYSTEM_NANOS = SystemTime.INSTANCE;

    /**
     * The time production runs on: {@link Thread#sleep(long)} and {@link System#nanoTime()}. One class for both,
     * not lambdas, as every function object on the first exchange's path is: each class costs a cold JVM time,
     * and a lambda's generated class twice a plain one.
     */
    private static final class SystemTime implements Sleeper, LongSupplier {
        static final SystemTime INSTANCE = new SystemTime();

        @Override
        public void sleep(Duration pause) throws InterruptedException {
            Thread.sleep(pause.toMillis());
        }

        @Override
        public long getAsLong() {
            return System.nanoTime();
        }
    }

    private final TokenExchanger.Options options;
    private final Sleeper sleeper;
    private final LongSupplier nanoTime;
    private final Function<InterruptedException, RuntimeException> interrupted;

    /**
     * @param options attempts, backoff and deadline
     * @param sleeper pauses between attempts
     * @param nanoTime the monotonic clock the deadline is kept with, as {@link System#nanoTime()}
     * @param interrupted the failure a pause interrupted ends with
     */
    RetryLoop(TokenExchanger.Options options, Sleeper sleeper, LongSupplier nanoTime,
            Function<InterruptedException, RuntimeException> interrupted) {
        this.options = Objects.requireNonNull(options, "options");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.interrupted = Objects.requireNonNull(interrupted, "interrupted");
    }

    /** Logged under the exchanger's name; looked up late, as the logging back end costs a cold JVM time. */
    private static System.Logger log() {
        return System.getLogger(TokenExchanger.class.getName());
    }

    /**
     * Runs attempts until one ends the loop; never throws a {@link RuntimeException}.
     *
     * @param attempt one attempt
     * @param <T> the result's type
     * @return the outcome
     */
    <T> Outcome<T> run(Attempt<T> attempt) {
        long start = nanoTime.getAsLong();
        long end = start + options.deadline().toNanos();
        int attempts = 0;
        try {
            while (true) {
                attempts++;
                try {
                    T value = attempt.run(end);
                    return new Outcome<>(value, null, attempts, Duration.ofNanos(nanoTime.getAsLong() - start));
                } catch (Retryable r) {
                    pauseOrGiveUp(r, attempts, end);
                }
            }
        } catch (RuntimeException e) {
            return new Outcome<>(null, e, attempts, Duration.ofNanos(nanoTime.getAsLong() - start));
        }
    }

    private void pauseOrGiveUp(Retryable r, int attempt, long end) {
        if (attempt >= options.maxAttempts()) {
            throw r.failure;
        }
        Duration pause = r.retryAfter != null ? r.retryAfter : backoff(attempt);
        if (nanoTime.getAsLong() + pause.toNanos() >= end) {
            throw r.failure; // no time left for another attempt
        }
        log().log(Level.DEBUG, () -> "Token exchange attempt failed (" + r.failure.getMessage()
                + "); retrying in " + pause.toMillis() + " ms");
        try {
            sleeper.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted.apply(e);
        }
    }

    /** The pause after a failed attempt (counting from 1): doubling from the initial backoff, capped, jittered. */
    Duration backoff(int attempt) {
        long base = options.initialBackoff().toMillis() << Math.min(attempt - 1, 20);
        long capped = Math.min(base, options.maxBackoff().toMillis());
        // Equal jitter: at least half the backoff, so a fleet spreads out but never hammers.
        long half = capped / 2;
        return Duration.ofMillis(half + (half > 0 ? ThreadLocalRandom.current().nextLong(half + 1) : 0));
    }

    /**
     * The lesser of a timeout and what is left before {@code end}, but at least 1 ms.
     *
     * @param end the deadline, in {@code nanoTime}
     * @param timeout the timeout
     * @return the bound for the next piece of work
     */
    Duration remaining(long end, Duration timeout) {
        long left = Math.max(1_000_000L, end - nanoTime.getAsLong());
        return left < timeout.toNanos() ? Duration.ofNanos(left) : timeout;
    }
}
