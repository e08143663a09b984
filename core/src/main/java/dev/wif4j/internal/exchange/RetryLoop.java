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
 * exponential backoff with jitter. Tests inject time (a {@link Sleeper} and a nanosecond clock) to run the pauses
 * without sleeping.
 */
final class RetryLoop {
    /** Pauses the calling thread, in tests; production sleeps with {@link Thread#sleep(long)}. */
    @FunctionalInterface
    interface Sleeper {
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

    private final TokenExchanger.Options options;
    private final Sleeper sleeper;
    private final LongSupplier nanoTime;
    private final Function<InterruptedException, RuntimeException> interrupted;

    /**
     * @param options attempts, backoff and deadline
     * @param sleeper pauses between attempts, or {@code null} for {@link Thread#sleep(long)}
     * @param nanoTime the monotonic clock the deadline is kept with, or {@code null} for {@link System#nanoTime()}
     * @param interrupted the failure a pause interrupted ends with
     */
    RetryLoop(TokenExchanger.Options options, Sleeper sleeper, LongSupplier nanoTime,
            Function<InterruptedException, RuntimeException> interrupted) {
        // Production passes no time of its own: a default object would be two more classes on the first token's
        // path, for a seam only tests use.
        this.options = Objects.requireNonNull(options, "options");
        this.sleeper = sleeper;
        this.nanoTime = nanoTime;
        this.interrupted = Objects.requireNonNull(interrupted, "interrupted");
    }

    private long now() {
        return nanoTime != null ? nanoTime.getAsLong() : System.nanoTime();
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
        long start = now();
        long end = start + options.deadline().toNanos();
        int attempts = 0;
        try {
            while (true) {
                attempts++;
                try {
                    T value = attempt.run(end);
                    return new Outcome<>(value, null, attempts, Duration.ofNanos(now() - start));
                } catch (Retryable r) {
                    pauseOrGiveUp(r, attempts, end);
                }
            }
        } catch (RuntimeException e) {
            return new Outcome<>(null, e, attempts, Duration.ofNanos(now() - start));
        }
    }

    private void pauseOrGiveUp(Retryable r, int attempt, long end) {
        if (attempt >= options.maxAttempts()) {
            throw r.failure;
        }
        Duration pause = r.retryAfter != null ? r.retryAfter : backoff(attempt);
        if (now() + pause.toNanos() >= end) {
            throw r.failure; // no time left for another attempt
        }
        log().log(Level.DEBUG, () -> "Token exchange attempt failed (" + r.failure.getMessage()
                + "); retrying in " + pause.toMillis() + " ms");
        try {
            if (sleeper != null) {
                sleeper.sleep(pause);
            } else {
                Thread.sleep(pause.toMillis());
            }
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
        long left = Math.max(1_000_000L, end - now());
        return left < timeout.toNanos() ? Duration.ofNanos(left) : timeout;
    }
}
