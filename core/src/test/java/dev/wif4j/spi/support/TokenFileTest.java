package dev.wif4j.spi.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wif4j.spi.IdentityTokenException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Token files read one way: afresh, capped, never a FIFO, one vocabulary, retryable only while an agent writes. */
class TokenFileTest {
    private static final String WHAT = "The Vault token file /run/vault/token (WIF4J_ACME_VAULT_TOKEN_FILE)";

    private static IdentityTokenException refused(TokenFile file) {
        return assertThrows(IdentityTokenException.class, file::read);
    }

    @Test
    void readsTheTextStrippedAndAfreshAcrossAnAtomicSwap(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, "\uFEFF  hvs.first \n");
        TokenFile token = TokenFile.of(file, WHAT);
        assertTrue(token.exists());
        assertEquals("hvs.first", token.read());
        Path next = dir.resolve("token.next");
        Files.writeString(next, "hvs.second");
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        assertEquals("hvs.second", token.read());
    }

    @Test
    void everyProblemIsOneSentenceAfterTheDescription(@TempDir Path dir) throws Exception {
        IdentityTokenException missing = refused(TokenFile.of(dir.resolve("absent"), WHAT));
        assertEquals(WHAT + ": the file does not exist.", missing.getMessage());
        assertFalse(missing.isRetryable(), "a file the user names fails the same way again");
        assertEquals(WHAT + ": it is a directory, not a file.", refused(TokenFile.of(dir, WHAT)).getMessage());

        Path big = Files.write(dir.resolve("big"), new byte[101]);
        assertEquals(WHAT + ": it is larger than 100 bytes; a Vault token is under 200 characters.",
                refused(TokenFile.of(big, WHAT).maxBytes(100, "a Vault token is under 200 characters")).getMessage());

        Path binary = Files.write(dir.resolve("binary"), new byte[] {(byte) 0xC3, (byte) 0x28});
        assertEquals(WHAT + ": it is not UTF-8 text (a binary file?).", refused(TokenFile.of(binary, WHAT)).getMessage());

        Path blank = Files.writeString(dir.resolve("blank"), " \n");
        assertEquals(WHAT + ": the file is empty (only whitespace).", refused(TokenFile.of(blank, WHAT)).getMessage());
    }

    @Test
    void aFileAnAgentWritesIsWorthAnotherAttemptWhileMissingOrEmpty(@TempDir Path dir) throws Exception {
        IdentityTokenException missing = refused(TokenFile.of(dir.resolve("sink"), WHAT).writtenByAnAgent());
        assertEquals(WHAT + ": the file does not exist (yet).", missing.getMessage());
        assertTrue(missing.isRetryable());
        Path empty = Files.createFile(dir.resolve("empty"));
        assertTrue(refused(TokenFile.of(empty, WHAT).writtenByAnAgent()).isRetryable());
        Path big = Files.write(dir.resolve("big"), new byte[TokenFile.DEFAULT_MAX_BYTES + 1]);
        assertFalse(refused(TokenFile.of(big, WHAT).writtenByAnAgent()).isRetryable());
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void aFifoIsNeverOpened(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("fifo");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (java.io.IOException e) {
            assumeTrue(false, "no mkfifo here");
            return;
        }
        assumeTrue(mkfifo.waitFor() == 0, "mkfifo failed");
        TokenFile token = TokenFile.of(fifo, WHAT);
        assertFalse(token.exists());
        // Opening a FIFO with no writer would block for ever; the test's timeout is the proof it was not opened.
        assertEquals(WHAT + ": it is not a regular file (a FIFO, a device or a socket); it was not opened.",
                refused(token).getMessage());
    }

    @Test
    void messagesNeverQuoteTheContent(@TempDir Path dir) throws Exception {
        String secret = "s3cr3t-" + "value-in-a-big-file";
        Path big = Files.writeString(dir.resolve("big"), secret.repeat(10), StandardCharsets.UTF_8);
        IdentityTokenException e = refused(TokenFile.of(big, WHAT).maxBytes(16, "too long"));
        assertFalse(e.getMessage().contains("s3cr3t"), e.getMessage());
        assertFalse(TokenFile.of(big, WHAT).toString().contains("s3cr3t"));
    }
}
