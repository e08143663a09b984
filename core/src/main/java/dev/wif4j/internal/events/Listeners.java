package dev.wif4j.internal.events;

import dev.wif4j.WorkloadIdentityListener;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The application's listeners, called so that none of them can fail or slow down the work it observes
 * beyond its own running time: an exception a listener throws is logged and ignored.
 */
public final class Listeners {
    /** Looked up when something is logged: the logging back end costs a cold JVM tens of milliseconds. */
    private static System.Logger log() {
        return System.getLogger(Listeners.class.getName());
    }
    /** No listener: the common case costs one empty check. */
    public static final Listeners NONE = new Listeners(List.of());

    private final List<WorkloadIdentityListener> listeners;

    /**
     * Creates the set.
     *
     * @param listeners the listeners, in the order they are called
     */
    public Listeners(List<WorkloadIdentityListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    /**
     * Whether there is no listener, so that callers can skip building an event.
     *
     * @return {@code true} if none
     */
    public boolean isEmpty() {
        return listeners.isEmpty();
    }

    /**
     * Reports a fetch.
     *
     * @param event the event
     */
    public void fetched(WorkloadIdentityListener.IdentityTokenFetch event) {
        each(l -> l.identityTokenFetched(event), "identityTokenFetched");
    }

    /**
     * Reports an exchange.
     *
     * @param event the event
     */
    public void exchanged(WorkloadIdentityListener.TokenExchange event) {
        each(l -> l.tokenExchanged(event), "tokenExchanged");
    }

    /**
     * Reports a refresh.
     *
     * @param event the event
     */
    public void refreshed(WorkloadIdentityListener.TokenRefresh event) {
        each(l -> l.tokenRefreshed(event), "tokenRefreshed");
    }

    private void each(Consumer<WorkloadIdentityListener> call, String method) {
        for (WorkloadIdentityListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                // An observer must never break the token it observes.
                log().log(Level.WARNING, () -> "The wif4j listener " + listener.getClass().getName() + " threw from "
                        + method + "; ignored: " + e);
            }
        }
    }

    /**
     * The checks every event's constructor shares.
     *
     * @param duration the event's duration: not negative
     * @param failure the event's failure, possibly empty
     */
    public static void checkTimed(Duration duration, Optional<RuntimeException> failure) {
        if (Objects.requireNonNull(duration, "duration").isNegative()) {
            throw new IllegalArgumentException("duration must not be negative, not " + duration);
        }
        Objects.requireNonNull(failure, "failure");
    }

    @Override
    public String toString() {
        return "Listeners" + listeners;
    }
}
