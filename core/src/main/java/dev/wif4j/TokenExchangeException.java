package dev.wif4j;

import java.io.Serial;
import java.util.Optional;

/**
 * Anthropic's token endpoint did not give an access token: it refused the identity token, said
 * the request was malformed, was unreachable, or answered with something that is not a valid
 * token response.
 *
 * <p>Carries the HTTP status ({@code 0} when no response arrived), the {@code request-id} header
 * to quote to support, the response body reduced to its error fields, and a hint. A 401 and a
 * {@code 400 invalid_grant} both mean the federation rule did not accept the identity token
 * ({@link #isAssertionRejected()}); the reason is then shown only on the Console's
 * authentication history page.
 */
public class TokenExchangeException extends WorkloadIdentityException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The HTTP status, or {@code 0} when no response arrived. */
    private final int statusCode;
    /** The {@code request-id} response header, or {@code null}. */
    private final String requestId;
    /** The error code from the body, or {@code null}. */
    private final String errorType;
    /** The body reduced to its error fields, or {@code null}. */
    private final String redactedBody;
    /** What to do about it, or {@code null}. */
    private final String hint;

    /**
     * Creates the exception.
     *
     * @param message the summary; never contains a secret
     * @param statusCode the HTTP status, or {@code 0} if no response arrived
     * @param requestId the {@code request-id} response header; may be {@code null}
     * @param errorType the error code ({@code error.type} or {@code error}); may be {@code null}
     * @param redactedBody the body reduced to its error fields; may be {@code null}
     * @param hint what to do about it; may be {@code null}
     * @param cause the underlying failure; may be {@code null}
     */
    public TokenExchangeException(String message, int statusCode, String requestId, String errorType,
            String redactedBody, String hint, Throwable cause) {
        super(message, cause);
        this.statusCode = statusCode;
        this.requestId = requestId;
        this.errorType = errorType;
        this.redactedBody = redactedBody;
        this.hint = hint;
    }

    /**
     * Starts an exception with the given summary; every other field is absent until set.
     *
     * @param message the summary; never contains a secret
     * @return a builder
     */
    public static Builder builder(String message) {
        return new Builder(message);
    }

    /**
     * Builds a {@link TokenExchangeException} field by field, so that absent fields need not be passed as
     * {@code null}. Not thread-safe.
     */
    public static final class Builder {
        private final String message;
        private int statusCode;
        private String requestId;
        private String errorType;
        private String redactedBody;
        private String hint;
        private Throwable cause;

        private Builder(String message) {
            this.message = message;
        }

        /**
         * Sets the HTTP status; without it the status is {@code 0} (no response arrived).
         *
         * @param statusCode the HTTP status
         * @return this builder
         */
        public Builder statusCode(int statusCode) {
            this.statusCode = statusCode;
            return this;
        }

        /**
         * Sets the {@code request-id} response header.
         *
         * @param requestId the id; may be {@code null}
         * @return this builder
         */
        public Builder requestId(String requestId) {
            this.requestId = requestId;
            return this;
        }

        /**
         * Sets the error code from the body ({@code error.type} or {@code error}).
         *
         * @param errorType the code; may be {@code null}
         * @return this builder
         */
        public Builder errorType(String errorType) {
            this.errorType = errorType;
            return this;
        }

        /**
         * Sets the body reduced to its error fields.
         *
         * @param redactedBody the redacted body; may be {@code null}
         * @return this builder
         */
        public Builder redactedBody(String redactedBody) {
            this.redactedBody = redactedBody;
            return this;
        }

        /**
         * Sets what to do about the failure.
         *
         * @param hint the hint; may be {@code null}
         * @return this builder
         */
        public Builder hint(String hint) {
            this.hint = hint;
            return this;
        }

        /**
         * Sets the underlying failure.
         *
         * @param cause the cause; may be {@code null}
         * @return this builder
         */
        public Builder cause(Throwable cause) {
            this.cause = cause;
            return this;
        }

        /**
         * Creates the exception.
         *
         * @return the exception, with the fields set so far
         */
        public TokenExchangeException build() {
            return new TokenExchangeException(message, statusCode, requestId, errorType, redactedBody, hint, cause);
        }
    }

    /**
     * The HTTP status of the token endpoint's answer.
     *
     * @return the status, or {@code 0} when no response arrived
     */
    public int statusCode() {
        return statusCode;
    }

    /**
     * The {@code request-id} header, to quote to Anthropic support.
     *
     * @return the id, if the server sent one
     */
    public Optional<String> requestId() {
        return Optional.ofNullable(requestId);
    }

    /**
     * The error code from the body: the API envelope's {@code error.type}
     * ({@code authentication_error}, {@code invalid_request_error}) or the OAuth {@code error}
     * ({@code invalid_grant}).
     *
     * @return the code, if the body had one
     */
    public Optional<String> errorType() {
        return Optional.ofNullable(errorType);
    }

    /**
     * The response body reduced to its error fields; anything that could echo a token is gone.
     *
     * @return the redacted body, if there was one
     */
    public Optional<String> redactedBody() {
        return Optional.ofNullable(redactedBody);
    }

    /**
     * What to do about the failure.
     *
     * @return the hint, if wif4j has one for this failure
     */
    public Optional<String> hint() {
        return Optional.ofNullable(hint);
    }

    /**
     * Whether the server refused the identity token itself: a 401, or a 400 with
     * {@code invalid_grant}.
     *
     * @return {@code true} if the federation rule (or issuer) did not accept the token
     */
    public boolean isAssertionRejected() {
        return statusCode == 401 || (statusCode == 400 && "invalid_grant".equals(errorType));
    }
}
