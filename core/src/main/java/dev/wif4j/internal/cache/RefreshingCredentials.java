package dev.wif4j.internal.cache;

import dev.wif4j.AccessToken;
import dev.wif4j.AnthropicCredentials;
import dev.wif4j.WorkloadIdentityException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The access-token cache, with Anthropic's documented refresh semantics (PROTOCOL.md §4):
 * <ul>
 *   <li>more than 120 s left: the cached token, read with one volatile load and no allocation;</li>
 *   <li>30–120 s left (advisory): the cached token, and one background refresh; if it fails the
 *       token keeps being served and the next try waits 5 s;</li>
 *   <li>30 s or less, or no token (mandatory): every caller waits for one shared refresh, and a
 *       failure is thrown to each of them. A token that close to expiry is never returned.</li>
 * </ul>
 */
public final class RefreshingCredentials implements AnthropicCredentials, AutoCloseable {
    static final long ADVISORY_MILLIS = 120_000;
    static final long MANDATORY_MILLIS = 30_000;
    static final long ADVISORY_BACKOFF_MILLIS = 5_000;

    private static final System.Logger LOG = System.getLogger(RefreshingCredentials.class.getName());

    private final Supplier<AccessToken> exchange;
    private final Clock clock;
    private final AtomicReference<AccessToken> current = new AtomicReference<>();
    /** The refresh in flight, if any: every caller that must wait joins this one. */
    private final AtomicReference<CompletableFuture<AccessToken>> inflight = new AtomicReference<>();
    private volatile long nextAdvisoryMillis;
    private volatile ExecutorService background;
    private volatile boolean closed;

    /**
     * Creates the cache.
     *
     * @param exchange performs one exchange (with its own retries) and returns the new token
     * @param clock the clock, whose {@link Clock#millis()} must not allocate on the hot path
     */
    public RefreshingCredentials(Supplier<AccessToken> exchange, Clock clock) {
        this.exchange = Objects.requireNonNull(exchange, "exchange");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public AccessToken token() {
        AccessToken token = current.get();
        if (token != null) {
            long left = token.expiresAtMillis() - clock.millis();
            if (left > ADVISORY_MILLIS) {
                return token;
            }
            if (left > MANDATORY_MILLIS) {
                refreshInBackground();
                return token;
            }
        }
        return refreshAndWait();
    }

    @Override
    public void invalidate(AccessToken rejected) {
        Objects.requireNonNull(rejected, "rejected");
        // Only the token that was refused: a late 401 must not discard its replacement.
        AccessToken token = current.get();
        if (token != null && token.equals(rejected)) {
            current.compareAndSet(token, null);
        }
    }

    @Override
    public void invalidate() {
        current.set(null);
    }

    private AccessToken refreshAndWait() {
        while (true) {
            CompletableFuture<AccessToken> running = inflight.get();
            if (running != null) {
                return join(running);
            }
            CompletableFuture<AccessToken> mine = new CompletableFuture<>();
            if (inflight.compareAndSet(null, mine)) {
                // Another caller may have finished a refresh between our read and our CAS.
                AccessToken token = current.get();
                if (token != null && token.expiresAtMillis() - clock.millis() > MANDATORY_MILLIS) {
                    inflight.compareAndSet(mine, null);
                    mine.complete(token);
                    return token;
                }
                refresh(mine);
                return join(mine);
            }
        }
    }

    private void refreshInBackground() {
        if (closed || clock.millis() < nextAdvisoryMillis || inflight.get() != null) {
            return;
        }
        CompletableFuture<AccessToken> mine = new CompletableFuture<>();
        if (!inflight.compareAndSet(null, mine)) {
            return;
        }
        try {
            executor().execute(() -> {
                refresh(mine);
                mine.whenComplete((token, failure) -> {
                    if (failure != null) {
                        nextAdvisoryMillis = clock.millis() + ADVISORY_BACKOFF_MILLIS;
                        AccessToken stale = current.get();
                        LOG.log(Level.WARNING, () -> "Refreshing the Anthropic access token in the background failed; "
                                + "the current token stays in use"
                                + (stale == null ? "" : " (" + Math.max(0, (stale.expiresAtMillis() - clock.millis()) / 1000)
                                + " s left)") + " and the next try is in 5 s: " + unwrap(failure).getMessage());
                    }
                });
            });
        } catch (RejectedExecutionException e) {
            inflight.compareAndSet(mine, null);
            mine.cancel(false);
        }
    }

    private void refresh(CompletableFuture<AccessToken> mine) {
        try {
            AccessToken token = exchange.get();
            if (token == null) {
                throw new WorkloadIdentityException("The token exchange returned no token.");
            }
            current.set(token);
            inflight.compareAndSet(mine, null);
            mine.complete(token);
        } catch (RuntimeException | Error e) {
            inflight.compareAndSet(mine, null);
            mine.completeExceptionally(e);
        }
    }

    private static AccessToken join(CompletableFuture<AccessToken> future) {
        try {
            return future.join();
        } catch (CompletionException | CancellationException e) {
            Throwable cause = unwrap(e);
            if (cause instanceof RuntimeException runtime) {
                throw runtime; // the exchange's own exception, with its status and hint
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new WorkloadIdentityException("Refreshing the Anthropic access token failed.", cause);
        }
    }

    private static Throwable unwrap(Throwable t) {
        Throwable cause = t;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private ExecutorService executor() {
        ExecutorService pool = background;
        if (pool == null) {
            synchronized (this) {
                pool = background;
                if (pool == null) {
                    pool = Executors.newSingleThreadExecutor(r -> {
                        Thread t = new Thread(r, "wif4j-token-refresh");
                        t.setDaemon(true);
                        return t;
                    });
                    background = pool;
                }
            }
        }
        return pool;
    }

    /** Stops the background refresh thread; cached tokens stay readable. */
    @Override
    public void close() {
        closed = true;
        ExecutorService pool = background;
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "RefreshingCredentials[" + current.get() + "]";
    }
}
