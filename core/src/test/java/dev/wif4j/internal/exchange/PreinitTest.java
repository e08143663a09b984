package dev.wif4j.internal.exchange;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The start-up warm-up runs the real exchange code to the end on its canned answers: were a check to start refusing
 * them, the first real exchange would silently pay the cold start again.
 */
class PreinitTest {
    @Test
    void dryRunReachesAnAccessToken() {
        assertTrue(Preinit.dryRun(), "the dry run no longer gets through the exchange");
    }
}
