package dev.wif4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** What an in-house provider's author relies on: every leak found and described without the secret. */
class SecretCanariesTest {
    /** Put together at run time, as a provider's canary tests do. */
    private static final String SECRET = "CANARY-" + "client-secret-" + "7f3a9c2e";
    private static final String TOKEN = "sk-ant-oat01-" + "CANARYaccess0123456789";
    private static final Logger LOG = Logger.getLogger(SecretCanariesTest.class.getName());

    /** The leak is reported with the canary's last four characters and where it was; the secret itself never. */
    private static String failure(SecretCanaries canaries) {
        AssertionError e = assertThrows(AssertionError.class, canaries::assertNoLeak);
        assertFalse(e.getMessage().contains(SECRET), e.getMessage());
        assertFalse(e.getMessage().contains(TOKEN), e.getMessage());
        return e.getMessage();
    }

    @Test
    void aSecretInALogRecordsParameterIsFound() {
        try (SecretCanaries canaries = SecretCanaries.start().canary(SECRET)) {
            LOG.log(Level.FINEST, "logging in with {0}", SECRET);
            assertEquals(2, canaries.leakCount(), "in the formatted record and in its parameter");
            String message = failure(canaries);
            assertTrue(message.contains("canary ...9c2e in log record: "), message);
            assertTrue(message.contains("canary ...9c2e in log record parameter: "), message);
            assertTrue(message.contains("logging in with [canary ...9c2e]"), message);
        }
    }

    @Test
    void aParameterTheMessageDoesNotNameIsFoundToo() {
        // SimpleFormatter does not print it; a JSON or structured formatter would.
        try (SecretCanaries canaries = SecretCanaries.start().canary(SECRET)) {
            System.getLogger("acme").log(System.Logger.Level.DEBUG, "logging in", SECRET);
            assertEquals(List.of("canary ...9c2e in log record parameter: [canary ...9c2e]"), canaries.leaks());
            assertTrue(canaries.anyContains("FINE"), "System.Logger's DEBUG is captured: " + canaries.texts());
        }
    }

    @Test
    void aSecretInACauseOrASuppressedExceptionIsFound() {
        try (SecretCanaries canaries = SecretCanaries.start().canary(SECRET).canary(TOKEN)) {
            IllegalStateException thrown = new IllegalStateException("the exchange failed",
                    new UncheckedIOException(new IOException("401 for " + TOKEN)));
            thrown.addSuppressed(new IllegalArgumentException("closing with " + SECRET));
            canaries.thrown(thrown);
            String message = failure(canaries);
            assertTrue(message.contains("canary ...6789 in message of java.io.IOException: 401 for [canary ...6789]"),
                    message);
            assertTrue(message.contains("canary ...6789 in toString() of java.io.IOException"), message);
            // UncheckedIOException's message is its cause's toString().
            assertTrue(message.contains("canary ...6789 in message of java.io.UncheckedIOException"), message);
            assertTrue(message.contains("canary ...9c2e in message of java.lang.IllegalArgumentException"), message);
            assertEquals(6, canaries.leakCount(), message);
        }
    }

    @Test
    void aSecretInAToStringIsFound() {
        Object credentials = new Object() {
            @Override
            public String toString() {
                return "Credentials[token=" + TOKEN + "]";
            }
        };
        try (SecretCanaries canaries = SecretCanaries.start().canary(TOKEN)) {
            canaries.object(credentials, "harmless");
            String message = failure(canaries);
            assertTrue(message.contains("canary ...6789 in toString() of " + credentials.getClass().getName()
                    + ": Credentials[token=[canary ...6789]]"), message);
            assertEquals(1, canaries.leakCount());
        }
    }

    @Test
    void aForgedLineIsFound() {
        try (SecretCanaries canaries = SecretCanaries.start().forgedLine("FORGED")) {
            canaries.text("stderr", "Error: sub\r\nFORGED admin logged in");
            canaries.text("stderr", "Error: sub\\r\\nFORGED escaped, harmless");
            assertEquals(List.of("a line forged with FORGED in stderr: Error: sub\\r\\nFORGED admin logged in"),
                    canaries.leaks());
        }
    }

    @Test
    void nothingIsFoundWhenClean() {
        try (SecretCanaries canaries = SecretCanaries.start().canary(SECRET).canary(TOKEN)) {
            LOG.fine("exchanging a token of 35 characters");
            canaries.thrown(new IllegalStateException("401 Unauthorized", new IOException("closed")));
            canaries.object(List.of("redacted"));
            canaries.text("stdout", "sk-ant-oat01-...6789"); // a redacted form: not the whole canary
            canaries.assertNoLeak();
            assertEquals(List.of(), canaries.leaks());
            assertEquals(2, canaries.canaryCount());
            assertTrue(canaries.textCount() >= 6, canaries.texts().toString());
            assertTrue(canaries.anyContains("exchanging a token"));
            assertEquals("SecretCanaries[2 canaries, " + canaries.textCount() + " captured texts]",
                    canaries.toString());
        }
    }

    @Test
    void aShortCanaryIsRefused() {
        try (SecretCanaries canaries = SecretCanaries.start()) {
            assertThrows(IllegalArgumentException.class, () -> canaries.canary("abc1234"));
        }
    }

    @Test
    void theRootLevelIsRestoredAndLoggingNoLongerCapturedAfterClose() {
        Logger root = Logger.getLogger("");
        Level before = root.getLevel();
        int handlers = root.getHandlers().length;
        root.setLevel(Level.WARNING);
        try {
            SecretCanaries canaries = SecretCanaries.start().canary(SECRET);
            assertEquals(Level.ALL, root.getLevel());
            assertEquals(handlers + 1, root.getHandlers().length);
            canaries.close();
            assertEquals(Level.WARNING, root.getLevel());
            assertEquals(handlers, root.getHandlers().length);
            LOG.severe("after close: not captured");
            assertEquals(0, canaries.textCount());
            canaries.assertNoLeak();
            canaries.close(); // twice: no harm
            assertEquals(Level.WARNING, root.getLevel());
        } finally {
            root.setLevel(before);
        }
    }
}
