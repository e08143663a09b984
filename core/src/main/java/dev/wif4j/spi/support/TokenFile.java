package dev.wif4j.spi.support;

import dev.wif4j.spi.IdentityTokenException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A file that holds a token or a secret (a projected service account token, an agent's sink, a client secret),
 * read the way every provider must: afresh on every call, in one open and one read (a file swapped atomically, as
 * the kubelet and Vault agent do, is seen whole, old or new), only if it is a regular file (a FIFO with no writer or
 * a device cannot hang or flood the process), never past a size cap, as UTF-8 text without a byte-order mark or
 * surrounding white space. Every problem is an {@link IdentityTokenException} in one vocabulary, starting with the
 * file's description, and never quoting the content.
 *
 * <pre>{@code
 * TokenFile file = TokenFile.of(path, "The Vault token file " + Text.escape(shown) + " (" + source + ")")
 *         .maxBytes(8 * 1024, "a Vault token is under 200 characters")
 *         .writtenByAnAgent();
 * String vaultToken = file.read();
 * }</pre>
 */
public final class TokenFile {
    /** The cap when none is given: a JWT is a few KiB; Anthropic refuses identity tokens over 16 KiB. */
    public static final int DEFAULT_MAX_BYTES = 16 * 1024;

    private final Path path;
    private final String description;
    private final int maxBytes;
    private final String sizeReason;
    private final boolean agentWritten;

    private TokenFile(Path path, String description, int maxBytes, String sizeReason, boolean agentWritten) {
        this.path = Objects.requireNonNull(path, "path");
        this.description = Objects.requireNonNull(description, "description");
        this.maxBytes = maxBytes;
        this.sizeReason = sizeReason;
        this.agentWritten = agentWritten;
    }

    /**
     * A token file, capped at {@value #DEFAULT_MAX_BYTES} bytes.
     *
     * @param path the file, as the context resolved it ({@link dev.wif4j.spi.DetectionContext#path(String)})
     * @param description how messages name it, already escaped, with where it was configured, e.g.
     *     {@code "Identity token file /var/run/token (ANTHROPIC_IDENTITY_TOKEN_FILE)"}; a message is this, a colon
     *     and what is wrong
     * @return the file
     */
    public static TokenFile of(Path path, String description) {
        return new TokenFile(path, description, DEFAULT_MAX_BYTES, "Anthropic refuses identity tokens over 16 KiB",
                false);
    }

    /**
     * The same file with another cap.
     *
     * @param max the most bytes the file may hold, at least 1
     * @param reason why, for the message when it holds more, e.g. {@code "a Vault token is under 200 characters"}
     * @return the file with that cap
     */
    public TokenFile maxBytes(int max, String reason) {
        if (max < 1) {
            throw new IllegalArgumentException("a cap of at least 1 byte, not " + max);
        }
        return new TokenFile(path, description, max, Objects.requireNonNull(reason, "reason"), agentWritten);
    }

    /**
     * The same file, written by an agent that may not have written it yet (Vault agent's sink, a sidecar): a
     * missing or empty file is then worth another attempt ({@link IdentityTokenException#isRetryable()}). A file
     * the user names themselves is not: it fails the same way again.
     *
     * @return the file, read as one an agent writes
     */
    public TokenFile writtenByAnAgent() {
        return new TokenFile(path, description, maxBytes, sizeReason, true);
    }

    /**
     * The file's path.
     *
     * @return the path
     */
    public Path path() {
        return path;
    }

    /**
     * Whether the file exists as a regular file now, for {@code detect}: cheap, and never opens it.
     *
     * @return {@code true} if a regular file is there
     */
    public boolean exists() {
        return Files.isRegularFile(path);
    }

    /**
     * Reads the file.
     *
     * @return its text, stripped of surrounding white space and a byte-order mark; never empty
     * @throws IdentityTokenException if it does not exist, is not a regular file, is larger than the cap, cannot be
     *     read, is not UTF-8 text, or holds nothing; retryable only for a missing or empty file
     *     {@linkplain #writtenByAnAgent() written by an agent}
     */
    public String read() {
        byte[] bytes;
        try {
            bytes = SmallFiles.read(path, maxBytes);
        } catch (IOException e) {
            throw unreadable(e);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString()
                    .strip();
        } catch (CharacterCodingException e) {
            throw problem("it is not UTF-8 text (a binary file?).", false);
        }
        // Editors on Windows start UTF-8 files with a byte-order mark; it is not part of the token.
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1).strip();
        }
        if (text.isEmpty()) {
            // An agent truncates before it writes: a later read may find the new token.
            throw problem("the file is empty" + (bytes.length > 0 ? " (only whitespace)." : "."), agentWritten);
        }
        return text;
    }

    /**
     * What a failed read means, told apart with {@code instanceof} rather than a catch clause for each type: the JVM
     * loads the type of every catch clause when it verifies this class, which reads every token file (issue 32).
     */
    private IdentityTokenException unreadable(IOException e) {
        if (e instanceof SmallFiles.NotRegularFileException notRegular) {
            return problem(notRegular.isDirectory() ? "it is a directory, not a file."
                    : "it is not a regular file (a FIFO, a device or a socket); it was not opened.", false);
        }
        if (e instanceof SmallFiles.TooLargeException) {
            return problem("it is larger than " + maxBytes + " bytes; " + sizeReason + ".", false);
        }
        if (e instanceof NoSuchFileException) {
            return problem("the file does not exist" + (agentWritten ? " (yet)." : "."), agentWritten);
        }
        if (e instanceof AccessDeniedException) {
            return problem("this process may not read it (permission denied).", false);
        }
        return problem("it could not be read: " + e.getClass().getSimpleName() + ".", false);
    }

    private IdentityTokenException problem(String what, boolean retryable) {
        return new IdentityTokenException(description + ": " + what, null, retryable);
    }

    @Override
    public String toString() {
        return "TokenFile[" + description + "]";
    }
}
