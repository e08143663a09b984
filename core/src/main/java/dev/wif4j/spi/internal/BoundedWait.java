package dev.wif4j.spi.internal;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waiting on another thread's work for a bounded time, one way: work that is late or whose waiter is interrupted is
 * cancelled (interrupting it), an interrupt is kept for the caller, and an unchecked failure comes out as itself.
 * Only the JDK's exception types: a type of wif4j's own here would be one more class for the JVM to load when it
 * verifies this one, on the first token's path (issue 32).
 */
public final class BoundedWait {

    private BoundedWait() {}

    /**
     * Waits for the work's result.
     *
     * @param future the work
     * @param nanos how long to wait
     * @param <T> the result's type
     * @return the result
     * @throws TimeoutException if it took longer; the work is cancelled
     * @throws InterruptedException if the waiting thread was interrupted: the work is cancelled, and unlike the
     *     JDK's own waits this one sets the thread's interrupt status again before it throws
     * @throws ExecutionException if the work failed with a checked exception (an unchecked one, or an error, is
     *     thrown as itself)
     */
    public static <T> T await(Future<T> future, long nanos) throws TimeoutException, InterruptedException,
            ExecutionException {
        try {
            return future.get(nanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw e;
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException unchecked) {
                throw unchecked;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }
}
