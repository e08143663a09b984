package dev.wif4j.spi.support;

import dev.wif4j.spi.IdentityTokenException;
import java.io.Serial;

/**
 * A token service's JSON answer cannot be used: it is not JSON, not an object, repeats a key, or lacks a field
 * or holds one of the wrong type. The message names the upstream and the field (such as {@code data.token}) and
 * never quotes the body: a token service's answer carries a token. Never retryable: the same answer fails the same
 * way again.
 */
public final class JsonAnswerException extends IdentityTokenException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** What is wrong with the answer. */
    public enum Kind {
        /** The body is not one JSON value. */
        NOT_JSON,
        /** The body is JSON, but not an object. */
        NOT_AN_OBJECT,
        /** An object repeats a key, so which value counts is unclear. */
        REPEATED_KEY,
        /** A required field is absent, {@code null} or blank. */
        MISSING,
        /** A field holds a value of another type than asked for. */
        WRONG_TYPE
    }

    /** What is wrong. */
    private final Kind kind;
    /** The field, dotted ({@code data.token}), or {@code null} for the whole answer. */
    private final String field;
    /** What is wrong, in words that quote nothing of the body. */
    private final String detail;

    JsonAnswerException(String message, Kind kind, String field, String detail) {
        super(message);
        this.kind = kind;
        this.field = field;
        this.detail = detail;
    }

    /**
     * What is wrong with the answer.
     *
     * @return the kind
     */
    public Kind kind() {
        return kind;
    }

    /**
     * The field the problem is about, its path joined by dots (such as {@code data.token}).
     *
     * @return the field, or {@code null} when the problem is the whole answer
     */
    public String field() {
        return field;
    }

    /**
     * What is wrong, and where, without a word of the body, for a caller that words its own message (a file rather
     * than an answer): e.g. {@code an unexpected character or word at line 1, column 4} for a body that is not
     * JSON, {@code a JSON array, not an object}, or {@code data.token is missing}.
     *
     * @return the detail
     */
    public String detail() {
        return detail;
    }
}
