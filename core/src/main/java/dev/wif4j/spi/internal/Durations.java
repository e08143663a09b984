package dev.wif4j.spi.internal;

import java.time.Duration;

/** Durations as messages show them. */
public final class Durations {
    private Durations() {}

    /**
     * Whole seconds as {@code "30 s"}, anything else in milliseconds.
     *
     * @param d the duration
     * @return the text
     */
    public static String text(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
