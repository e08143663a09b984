package dev.wif4j;

import dev.wif4j.internal.http.JdkTransport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How wif4j sends its one kind of HTTP request, the token exchange's {@code POST}: the seam that lets an
 * application's own HTTP stack carry it, so that the exchange and the API calls share one client, one
 * connection pool and one TLS set-up. {@code wif4j-anthropic-java} uses it to exchange over the official
 * client's own HTTP client. By default wif4j uses the JDK's {@link HttpClient}, made at the first exchange.
 *
 * <p>The contract, which wif4j's retries rely on:
 * <ul>
 *   <li>One call is one attempt: the transport must not retry, and must not follow a redirect (a 3xx is
 *       returned as a response; following it would forward the identity token).</li>
 *   <li>It returns or throws within {@link Request#timeout()}, the whole exchange included: connecting,
 *       sending, waiting and reading the body. A timeout throws {@link java.net.http.HttpTimeoutException}.</li>
 *   <li>A body longer than {@link Request#maxResponseBytes()} throws {@link ResponseTooLargeException}
 *       without being read further.</li>
 *   <li>Any other failure to get a complete response throws {@link IOException}; wif4j retries those.
 *       When the calling thread is interrupted it throws {@link java.io.InterruptedIOException} and keeps the
 *       thread's interrupt status.</li>
 * </ul>
 * Implementations must be thread-safe.
 */
@FunctionalInterface
public interface HttpTransport {

    /**
     * Sends one request and reads the whole response.
     *
     * @param request the request
     * @return the response, whatever its status
     * @throws IOException if no complete response arrived within the timeout, as the contract above says
     */
    Response send(Request request) throws IOException;

    /**
     * The transport over a JDK client the application made; it must not follow redirects
     * ({@link WorkloadIdentityBuilder#build()} refuses one that does).
     *
     * @param client the client
     * @return the transport
     */
    static HttpTransport of(HttpClient client) {
        return new JdkTransport(Objects.requireNonNull(client, "client"));
    }

    /**
     * wif4j's default transport: a JDK client that never follows redirects, with a 10 s connect timeout,
     * made on the first request (a process that only detects, or never exchanges, never pays for its TLS
     * set-up).
     *
     * @return a new transport
     */
    static HttpTransport jdk() {
        return new JdkTransport(null);
    }

    /**
     * A {@code POST} request.
     *
     * @param uri the URL, https or http to a loopback host
     * @param headers the headers, each with one value
     * @param body the body; not modified by the transport
     * @param timeout the longest the whole exchange may take
     * @param maxResponseBytes the longest body that is read
     */
    record Request(URI uri, Map<String, String> headers, byte[] body, Duration timeout, int maxResponseBytes) {
        /**
         * Checks and copies the components.
         *
         * @param uri the URL
         * @param headers the headers
         * @param body the body
         * @param timeout the timeout
         * @param maxResponseBytes the body cap
         */
        public Request {
            Objects.requireNonNull(uri, "uri");
            headers = Map.copyOf(Objects.requireNonNull(headers, "headers"));
            Objects.requireNonNull(body, "body");
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero() || maxResponseBytes < 0) {
                throw new IllegalArgumentException("timeout must be positive and maxResponseBytes not negative");
            }
        }

        @Override
        public String toString() {
            // The body holds the identity token; it is never shown.
            return "HttpTransport.Request[POST " + uri + ", " + body.length + " bytes, timeout " + timeout + "]";
        }
    }

    /**
     * A complete response.
     *
     * @param statusCode the HTTP status
     * @param headers the headers; names in any case
     * @param body the body, at most the request's {@code maxResponseBytes}
     */
    record Response(int statusCode, Map<String, List<String>> headers, byte[] body) {
        /**
         * Checks and copies the components.
         *
         * @param statusCode the status
         * @param headers the headers
         * @param body the body
         */
        public Response {
            Objects.requireNonNull(headers, "headers");
            Objects.requireNonNull(body, "body");
            headers = Map.copyOf(headers);
        }

        /**
         * The first value of a header, its name compared without case.
         *
         * @param name the header name
         * @return the value, if the header is present
         */
        public Optional<String> header(String name) {
            String wanted = name.toLowerCase(Locale.ROOT);
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey() != null && e.getKey().toLowerCase(Locale.ROOT).equals(wanted) && !e.getValue().isEmpty()) {
                    return Optional.ofNullable(e.getValue().get(0));
                }
            }
            return Optional.empty();
        }

        @Override
        public String toString() {
            // A 2xx body holds the access token; it is never shown.
            return "HttpTransport.Response[" + statusCode + ", " + body.length + " bytes]";
        }
    }

    /** The response body was longer than the request allowed; it was not read further. */
    final class ResponseTooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        /**
         * Creates the exception.
         *
         * @param maxBytes the cap that was passed
         */
        public ResponseTooLargeException(int maxBytes) {
            super("the response body is larger than " + maxBytes + " bytes");
        }
    }
}
