package dev.wif4j.internal.cache;

import dev.wif4j.AccessToken;
import dev.wif4j.AnthropicCredentials;
import dev.wif4j.TokenScope;
import dev.wif4j.WorkloadIdentityException;
import dev.wif4j.WorkloadIdentityListener;
import dev.wif4j.WorkloadIdentityListener.RefreshReason;
import dev.wif4j.internal.events.Listeners;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The access-token cache, with Anthropic's documented refresh semantics (PROTOCOL.md §4):
 * <ul>
 *   <li>before the token's advisory point: the cached token, read with one volatile load and no
 *       allocation;</li>
 *   <li>from the advisory point to 30 s left: the cached token, and one background refresh; if it
 *       fails the token keeps being served and the next try waits 5 s;</li>
 *   <li>30 s or less, or no token (mandatory): every caller waits for one shared refresh, and a
 *       failure is thrown to each of them. A token that close to expiry is never returned.</li>
 * </ul>
 *
 * <p>The advisory point is drawn at random for each new token, between 120 s and 60 s before its
 * expiry: inside the documented 120–30 s window, so that thousands of workloads that started
 * together do not all refresh in the same second, and at least 30 s (one exchange attempt's
 * timeout) before the mandatory window, so a slow background refresh still lands in time.
 */
public final class RefreshingCredentials implements AnthropicCredentials, AutoCloseable {
    /** The longest a caller waits for a refresh another caller started, documented on {@code token()}. */
    static final long WAIT_BOUND_SECONDS = 60;
    /** The documented start of the advisory window: the earliest advisory point. */
    static final long ADVISORY_MILLIS = 120_000;
    /** The latest advisory point: the mandatory window plus one exchange attempt's timeout. */
    static final long LATEST_ADVISORY_MILLIS = 60_000;
    static final long MANDATORY_MILLIS = 30_000;
    static final long ADVISORY_BACKOFF_MILLIS = 5_000;

    /**
     * A token with the instants its refresh windows open, computed once per token so the fresh
     * path is one volatile load and one comparison.
     */
    private record Cached(AccessToken token, long advisoryAtMillis, long mandatoryAtMillis) {}

    /** Looked up when something is logged: the logging back end costs a cold JVM tens of milliseconds. */
    private static System.Logger log() {
        return System.getLogger(RefreshingCredentials.class.getName());
    }

    private final Supplier<AccessToken> exchange;
    private final Clock clock;
    /** How long before expiry the advisory point of the next token lies; {@code null} for {@link #randomLead()}. */
    private final LongSupplier advisoryLead;
    /** Runs background refreshes; {@code null} for a thread of the cache's own, made on first use. */
    private final Executor executor;
    private final AtomicReference<Cached> current = new AtomicReference<>();
    /** The refresh in flight, if any: every caller that must wait joins this one. */
    private final AtomicReference<CompletableFuture<AccessToken>> inflight = new AtomicReference<>();
    private volatile long nextAdvisoryMillis;
    /** The failure of the latest refresh, cleared by the next success: for health checks, which never exchange. */
    private volatile RuntimeException lastFailure;
    private volatile ExecutorService background;
    private volatile boolean closed;
    /** Why the next refresh that callers wait for runs, when an invalidation caused it. */
    private volatile RefreshReason pendingReason;
    private final Listeners listeners;
    /** Where the tokens may be sent; {@code null} for the interface's default. */
    private final TokenScope scope;
    /** A 401 drops the cached token at most once a minute. */
    private final UnauthorizedWindow unauthorized = new UnauthorizedWindow();
    /** {@link #WAIT_BOUND_SECONDS}, shorter in tests. */
    volatile long waitBoundMillis = WAIT_BOUND_SECONDS * 1000;

    /**
     * Creates the cache.
     *
     * @param exchange performs one exchange (with its own retries) and returns the new token
     * @param clock the clock, whose {@link Clock#millis()} must not allocate on the hot path
     */
    public RefreshingCredentials(Supplier<AccessToken> exchange, Clock clock) {
        this(exchange, clock, Listeners.NONE);
    }

    /**
     * Creates the cache, telling listeners of each refresh.
     *
     * @param exchange performs one exchange (with its own retries) and returns the new token
     * @param clock the clock, whose {@link Clock#millis()} must not allocate on the hot path
     * @param listeners told of each refresh
     */
    public RefreshingCredentials(Supplier<AccessToken> exchange, Clock clock, Listeners listeners) {
        this(exchange, clock, null, null, listeners, null);
    }

    /**
     * Creates the cache of a workload identity, telling listeners of each refresh.
     *
     * @param exchange performs one exchange (with its own retries) and returns the new token
     * @param clock the clock, whose {@link Clock#millis()} must not allocate on the hot path
     * @param listeners told of each refresh
     * @param scope where the tokens may be sent, as {@link #tokenScope()} returns it
     */
    public RefreshingCredentials(Supplier<AccessToken> exchange, Clock clock, Listeners listeners, TokenScope scope) {
        this(exchange, clock, null, null, listeners, Objects.requireNonNull(scope, "scope"));
    }

    /**
     * Creates the cache with a chosen advisory point and executor, for tests and simulations.
     *
     * @param exchange performs one exchange
     * @param clock the clock
     * @param advisoryLead milliseconds before expiry at which each new token's advisory refresh
     *     starts, clamped to the documented window; {@code null} for {@link #randomLead()}
     * @param executor runs background refreshes, or {@code null} for the cache's own thread
     */
    RefreshingCredentials(Supplier<AccessToken> exchange, Clock clock, LongSupplier advisoryLead, Executor executor) {
        this(exchange, clock, advisoryLead, executor, Listeners.NONE, null);
    }

    RefreshingCredentials(Supplier<AccessToken> exchange, Clock clock, LongSupplier advisoryLead, Executor executor,
            Listeners listeners) {
        this(exchange, clock, advisoryLead, executor, listeners, null);
    }

    private RefreshingCredentials(Supplier<AccessToken> exchange, Clock clock, LongSupplier advisoryLead,
            Executor executor, Listeners listeners, TokenScope scope) {
        this.scope = scope;
        this.listeners = Objects.requireNonNull(listeners, "listeners");
        this.exchange = Objects.requireNonNull(exchange, "exchange");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.advisoryLead = advisoryLead;
        this.executor = executor;
    }

    /** Uniform in [60 s, 120 s], the spread that keeps a fleet's refreshes apart; a method, not one more class. */
    static long randomLead() {
        return ThreadLocalRandom.current().nextLong(LATEST_ADVISORY_MILLIS, ADVISORY_MILLIS + 1);
    }

    @Override
    public AccessToken token() {
        Cached cached = current.get();
        if (cached != null) {
            long now = clock.millis();
            if (now < cached.advisoryAtMillis) {
                return cached.token;
            }
            if (now < cached.mandatoryAtMillis) {
                refreshInBackground();
                return cached.token;
            }
        }
        return refreshAndWait();
    }

    @Override
    public void invalidate(AccessToken rejected) {
        Objects.requireNonNull(rejected, "rejected");
        // Only the token that was refused: a late 401 must not discard its replacement.
        Cached cached = current.get();
        if (cached == null || !cached.token.equals(rejected)) {
            return;
        }
        long now = clock.millis();
        if (unauthorized.allowsDrop(now) && current.compareAndSet(cached, null)) {
            unauthorized.dropped(now);
            pendingReason = RefreshReason.UNAUTHORIZED;
        }
    }

    @Override
    public TokenScope tokenScope() {
        return scope != null ? scope : AnthropicCredentials.super.tokenScope();
    }

    @Override
    public void invalidate() {
        if (current.getAndSet(null) != null) {
            pendingReason = RefreshReason.FORCED;
        }
    }

    /**
     * The cached token, without refreshing: what a health check may look at.
     *
     * @return the cached token, possibly past its expiry; empty if none is cached
     */
    public Optional<AccessToken> cached() {
        Cached cached = current.get();
        return cached == null ? Optional.empty() : Optional.of(cached.token);
    }

    /**
     * Why the latest refresh failed, if it did; a later success clears it.
     *
     * @return the failure; its message holds no secret
     */
    public Optional<RuntimeException> lastFailure() {
        return Optional.ofNullable(lastFailure);
    }

    private AccessToken refreshAndWait() {
        while (true) {
            CompletableFuture<AccessToken> running = inflight.get();
            if (running != null) {
                return join(running);
            }
            CompletableFuture<AccessToken> mine = new CompletableFuture<>();
            if (inflight.compareAndSet(null, mine)) {
                AccessToken fresh = refreshedMeanwhile(mine, false);
                if (fresh != null) {
                    return fresh;
                }
                RefreshReason reason = pendingReason;
                pendingReason = null;
                refresh(mine, reason);
                return join(mine);
            }
        }
    }

    /**
     * Called with the in-flight slot just taken: another caller may have finished a refresh between our read of the
     * cache and our CAS, and without this check a second exchange would follow it at once. If the cached token is
     * not yet due for this kind of refresh, the slot is given back, completed with it.
     *
     * @param mine the slot taken
     * @param advisory whether the refresh is due at the advisory point, else at the mandatory one
     * @return the cached token if no refresh is due, else {@code null} (the slot stays ours)
     */
    private AccessToken refreshedMeanwhile(CompletableFuture<AccessToken> mine, boolean advisory) {
        Cached cached = current.get();
        if (cached == null || clock.millis() >= (advisory ? cached.advisoryAtMillis : cached.mandatoryAtMillis)) {
            return null;
        }
        inflight.compareAndSet(mine, null);
        mine.complete(cached.token);
        return cached.token;
    }

    private void refreshInBackground() {
        if (closed || clock.millis() < nextAdvisoryMillis || inflight.get() != null) {
            return;
        }
        CompletableFuture<AccessToken> mine = new CompletableFuture<>();
        if (!inflight.compareAndSet(null, mine)) {
            return;
        }
        if (refreshedMeanwhile(mine, true) != null) {
            return;
        }
        try {
            executor().execute(() -> {
                refresh(mine, RefreshReason.ADVISORY);
                mine.whenComplete((token, failure) -> {
                    if (failure != null) {
                        nextAdvisoryMillis = clock.millis() + ADVISORY_BACKOFF_MILLIS;
                        Cached stale = current.get();
                        log().log(Level.WARNING, () -> "Refreshing the Anthropic access token in the background failed; "
                                + "the current token stays in use"
                                + (stale == null ? "" : " (" + Math.max(0, (stale.token.expiresAtMillis() - clock.millis()) / 1000)
                                + " s left)") + " and the next try is in 5 s: " + unwrap(failure).getMessage());
                    }
                });
            });
        } catch (RejectedExecutionException e) {
            inflight.compareAndSet(mine, null);
            mine.cancel(false);
        }
    }

    /** A refresh a caller waits for has no reason ({@code null}): the enum is loaded only when listeners hear it. */
    private static RefreshReason told(RefreshReason reason) {
        return reason != null ? reason : RefreshReason.MANDATORY;
    }

    private void refresh(CompletableFuture<AccessToken> mine, RefreshReason reason) {
        long start = System.nanoTime();
        try {
            AccessToken token = exchange.get();
            if (token == null) {
                throw new WorkloadIdentityException("The token exchange returned no token.");
            }
            current.set(cache(token));
            lastFailure = null;
            inflight.compareAndSet(mine, null);
            mine.complete(token);
            if (!listeners.isEmpty()) {
                listeners.refreshed(new WorkloadIdentityListener.TokenRefresh(told(reason),
                        Duration.ofNanos(System.nanoTime() - start), Optional.empty()));
            }
        } catch (RuntimeException | Error e) {
            if (e instanceof RuntimeException runtime) {
                lastFailure = runtime;
            }
            inflight.compareAndSet(mine, null);
            mine.completeExceptionally(e);
            if (e instanceof RuntimeException runtime && !listeners.isEmpty()) {
                listeners.refreshed(new WorkloadIdentityListener.TokenRefresh(told(reason),
                        Duration.ofNanos(System.nanoTime() - start), Optional.of(runtime)));
            }
        }
    }

    private Cached cache(AccessToken token) {
        long expiry = token.expiresAtMillis();
        long given = advisoryLead != null ? advisoryLead.getAsLong() : randomLead();
        long lead = Math.min(ADVISORY_MILLIS, Math.max(LATEST_ADVISORY_MILLIS, given));
        return new Cached(token, expiry - lead, expiry - MANDATORY_MILLIS);
    }

    private AccessToken join(CompletableFuture<AccessToken> future) {
        long bound = waitBoundMillis;
        try {
            // The exchange ends within its own 30 s deadline; this bound holds even if it did not.
            return future.get(bound, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new WorkloadIdentityException("No Anthropic access token within "
                    + (bound % 1000 == 0 ? bound / 1000 + " s" : bound + " ms") + ": the token refresh this call "
                    + "waited for has not finished (an identity source or the token endpoint that does not "
                    + "answer?); the next call tries again.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WorkloadIdentityException("Interrupted while waiting for the Anthropic access token.", e);
        } catch (ExecutionException | CompletionException | CancellationException e) {
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
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private Executor executor() {
        if (executor != null) {
            return executor;
        }
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
        Cached cached = current.get();
        return "RefreshingCredentials[" + (cached == null ? null : cached.token) + "]";
    }
}
