package dev.wif4j.internal.exchange;

import dev.wif4j.WorkloadIdentityListener;
import dev.wif4j.spi.internal.BoundedWait;
import dev.wif4j.internal.events.Listeners;
import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.IdentityTokenSource;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeoutException;

/**
 * One identity-token fetch, on a worker thread: the caller waits at most the fetch timeout (and a grace), a
 * source that hangs past it is interrupted and reported, retryable; listeners hear of each fetch.
 */
final class GuardedFetch implements Callable<IdentityToken> {
    /** How long past its timeout a fetch is waited for, so a source that honours it reports its own error. */
    private static final Duration FETCH_GRACE = Duration.ofSeconds(1);

    /**
     * Fetches run here so that one that ignores its timeout cannot hold the caller past it. In a holder, made
     * at the first fetch: the builder touches the exchanger's constants, and detection needs no thread pool.
     */
    private static final class Fetchers implements ThreadFactory {
        static final ExecutorService POOL = Executors.newCachedThreadPool(new Fetchers());

        /** Its own thread factory, not another class: each class on the first exchange's path costs time. */
        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "wif4j-fetch");
            t.setDaemon(true);
            return t;
        }
    }

    private final IdentityTokenSource source;
    private final Duration fetchTimeout;
    private final RetryLoop loop;
    private final String providerId;
    private final Listeners listeners;

    /**
     * @param source where identity tokens come from
     * @param fetchTimeout the longest one fetch may take before the exchange stops waiting
     * @param loop the retry loop, whose clock bounds the fetch by the exchange's deadline
     * @param providerId the provider's id, for listeners
     * @param listeners told of each fetch
     */
    GuardedFetch(IdentityTokenSource source, Duration fetchTimeout, RetryLoop loop, String providerId,
            Listeners listeners) {
        this.source = source;
        this.fetchTimeout = fetchTimeout;
        this.loop = loop;
        this.providerId = providerId;
        this.listeners = listeners;
    }

    /**
     * Fetches a token, telling the listeners.
     *
     * @param end the exchange's deadline, in {@code nanoTime}
     * @return the token, or {@code null} if the source returned none
     * @throws IdentityTokenException if no token could be obtained in time
     */
    IdentityToken fetch(long end) {
        if (listeners.isEmpty()) {
            return fetchOnce(end);
        }
        long start = System.nanoTime();
        try {
            IdentityToken token = fetchOnce(end);
            listeners.fetched(new WorkloadIdentityListener.IdentityTokenFetch(providerId,
                    Duration.ofNanos(System.nanoTime() - start), Optional.empty()));
            return token;
        } catch (RuntimeException e) {
            listeners.fetched(new WorkloadIdentityListener.IdentityTokenFetch(providerId,
                    Duration.ofNanos(System.nanoTime() - start), Optional.of(e)));
            throw e;
        }
    }

    /**
     * One fetch from the source, as the pool runs it: this object is the pool's task itself, not a lambda or another
     * class (each costs a cold JVM time on the first exchange's path).
     *
     * @return the source's token
     */
    @Override
    public IdentityToken call() {
        return source.fetch();
    }

    private IdentityToken fetchOnce(long end) {
        Duration limit = loop.remaining(end, fetchTimeout.plus(FETCH_GRACE));
        Future<IdentityToken> future = Fetchers.POOL.submit(this);
        try {
            return BoundedWait.await(future, limit.toNanos());
        } catch (TimeoutException e) {
            throw new IdentityTokenException("The identity token source (" + source.getClass().getName()
                    + ") did not return a token within " + limit.toMillis() + " ms.", null, true);
        } catch (InterruptedException e) {
            throw new IdentityTokenException("Interrupted while fetching an identity token.", e);
        } catch (ExecutionException e) {
            throw new IdentityTokenException("The identity token source failed: " + e.getCause(), e.getCause());
        }
    }
}
