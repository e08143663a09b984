package dev.wif4j.internal.cache;

import java.lang.System.Logger.Level;

/**
 * How often a 401 may drop the cached token: at most once per {@link #MILLIS}, since an API that refuses every
 * token must not make each call an exchange (each spends an identity token; CI job tokens are accepted once).
 * A 401 inside the window leaves the token in use and is logged once per window.
 */
final class UnauthorizedWindow {
    /** The window. */
    static final long MILLIS = 60_000;

    /** When a 401 last dropped a token, by the cache's clock; {@code Long.MIN_VALUE} before the first. */
    private volatile long lastDropMillis = Long.MIN_VALUE;
    /** When a 401 that did not drop the token was last logged, so that one is logged per window. */
    private volatile long lastKeptLogMillis = Long.MIN_VALUE;

    /**
     * Whether a 401 at {@code now} may drop the token; if not, the log says why (once per window).
     *
     * @param now the cache's clock, in milliseconds
     * @return {@code true} if the window since the last drop has passed
     */
    boolean allowsDrop(long now) {
        long last = lastDropMillis;
        // A clock that went back counts as the window having passed.
        if (last != Long.MIN_VALUE && now >= last && now - last < MILLIS) {
            kept(now, last);
            return false;
        }
        return true;
    }

    /** Records that a 401 at {@code now} dropped the token. */
    void dropped(long now) {
        lastDropMillis = now;
    }

    private void kept(long now, long lastDrop) {
        long logged = lastKeptLogMillis;
        if (logged != Long.MIN_VALUE && now >= logged && now - logged < MILLIS) {
            return;
        }
        lastKeptLogMillis = now;
        long wait = Math.max(1, (MILLIS - (now - lastDrop) + 999) / 1000);
        // The cache's logger: what users filter on did not move with the code.
        System.getLogger(RefreshingCredentials.class.getName()).log(Level.WARNING, () -> "The Claude API refused "
                + "the access token (HTTP 401) again within " + MILLIS / 1000 + " s of the last token exchange a 401 "
                + "caused; the token stays in use and the next 401 may exchange again in " + wait + " s (at most one "
                + "such exchange a minute, since each spends an identity token). If every call is refused, check the "
                + "federation rule's scope and workspace, and that the requests reach the Claude API. This is logged "
                + "once a minute.");
    }
}
