package dev.wif4j.spi.internal;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waiting on another thread's work for a bounded time, one way: work that is late or whose waiter is interrupted is
 * cancelled (interrupting it), an interrupt is kept for the caller, and an unchecked failure comes out as itself.
 */
public final class BoundedWait {

    private BoundedWait() {}

    /** The waiting thread was interrupted: the work is cancelled, and the thread's interrupt status set again. */
    public static final class InterruptedWait extends Exception {
        private static final long serialVersionUID = 1L;

        InterruptedWait(InterruptedException cause) {
            super("interrupted while waiting", cause);
        }
    }

    /**
     * Waits for the work's result.
     *
     * @param future the work
     * @param nanos how long to wait
     * @param <T> the result's type
     * @return the result
     * @throws TimeoutException if it took longer; the work is cancelled
     * @throws InterruptedWait if the waiting thread was interrupted
     * @throws ExecutionException if the work failed with a checked exception (an unchecked one, or an error, is
     *     thrown as itself)
     */
    public static <T> T await(Future<T> future, long nanos) throws TimeoutException, InterruptedWait,
            ExecutionException {
        try {
            return future.get(nanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw e;
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedWait(e);
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
