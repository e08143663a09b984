package dev.wif4j.spi.support;

import dev.wif4j.spi.internal.Redaction;
import dev.wif4j.spi.internal.CappedBody;
import dev.wif4j.spi.internal.Durations;
import dev.wif4j.spi.IdentityTokenException;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

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
            return CappedBody.await(future, deadline);
        } catch (CappedBody.IncompleteException e) {
            throw new IdentityTokenException(upstream + " did not answer completely within "
                    + Durations.text(deadline) + ".", e, true);
        } catch (CappedBody.InterruptedWaitException e) {
            throw new IdentityTokenException("Interrupted while calling " + upstream + ".", e);
        } catch (CappedBody.TooLargeException e) {
            throw new IdentityTokenException(upstream + " answered with more than " + maxBytes
                    + " bytes; the response was refused unread.", e);
        } catch (CappedBody.FailedException e) {
            throw new IdentityTokenException("Calling " + upstream + " failed: " + e.getCause(), e.getCause());
        } catch (HttpTimeoutException e) {
            throw new IdentityTokenException(upstream + " did not answer within " + Durations.text(deadline) + ".",
                    e, true);
        } catch (IOException e) {
            throw new IdentityTokenException("Could not reach " + upstream + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " (" + Text.escape(Redaction.scrub(e.getMessage()), 200) + ")") + ".",
                    e, true);
        } catch (RuntimeException e) {
            throw new IdentityTokenException("Calling " + upstream + " failed: " + e, e);
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
}
