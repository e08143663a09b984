package dev.wif4j.spi.support;

import dev.wif4j.internal.Redaction;
import dev.wif4j.internal.http.CappedBody;
import dev.wif4j.spi.IdentityTokenException;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One HTTP attempt for a token source, bounded in time and size: the whole call, body included,
 * ends by the deadline (a server that sends headers and then trickles the body cannot hold it
 * longer), and a body past the cap is refused unread. It makes no retries: a fetch is one attempt,
 * and wif4j's exchange decides whether to try again from {@link IdentityTokenException#isRetryable()}.
 */
public final class BoundedHttp {
    /** The cap for a token response: a JWT is a few KiB; more is not a token service. */
    public static final int DEFAULT_MAX_BYTES = 1024 * 1024;

    private BoundedHttp() {}

    /**
     * Sends a request and reads the whole response.
     *
     * @param client the client
     * @param request the request; its own {@link HttpRequest#timeout()}, if any, bounds the wait for
     *     the headers, and {@code deadline} the whole call
     * @param maxBytes the most body bytes accepted
     * @param deadline how long the whole call may take
     * @param upstream what is called, for messages, e.g. {@code "the GitHub Actions token service"}
     * @return the response, whatever its status
     * @throws IdentityTokenException retryable when the upstream could not be reached or did not answer
     *     completely by the deadline; not retryable when the body was too large or the thread was interrupted
     */
    public static HttpResponse<byte[]> send(HttpClient client, HttpRequest request, int maxBytes, Duration deadline,
            String upstream) {
        Objects.requireNonNull(upstream, "upstream");
        CompletableFuture<HttpResponse<byte[]>> future = client.sendAsync(request, CappedBody.handler(maxBytes));
        try {
            return future.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new IdentityTokenException(upstream + " did not answer completely within " + seconds(deadline)
                    + ".", e, true);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new IdentityTokenException("Interrupted while calling " + upstream + ".", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof CappedBody.TooLargeException) {
                throw new IdentityTokenException(upstream + " answered with more than " + maxBytes
                        + " bytes; the response was refused unread.", cause);
            }
            if (cause instanceof HttpTimeoutException) {
                throw new IdentityTokenException(upstream + " did not answer within " + seconds(deadline) + ".",
                        cause, true);
            }
            if (cause instanceof IOException) {
                throw new IdentityTokenException("Could not reach " + upstream + ": " + cause.getClass().getSimpleName()
                        + (cause.getMessage() == null ? "" : " (" + Text.escape(Redaction.scrub(cause.getMessage()), 200) + ")") + ".",
                        cause, true);
            }
            throw new IdentityTokenException("Calling " + upstream + " failed: " + cause, cause);
        }
    }

    /**
     * Whether an HTTP status is worth another attempt: 408, 429 and 5xx.
     *
     * @param status the status
     * @return {@code true} if a later attempt may succeed
     */
    public static boolean isTransient(int status) {
        return status == 408 || status == 429 || (status >= 500 && status <= 599);
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
