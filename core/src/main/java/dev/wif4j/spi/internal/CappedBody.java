package dev.wif4j.spi.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeoutException;

/**
 * Collects a response body, refusing it as soon as it passes a limit, so that an endless or
 * huge answer costs neither memory nor time.
 *
 * <p>Each failure is made by its type's {@code of}, typed as the JDK's supertype: the JVM then loads an exception
 * class at its first use, not when it verifies the class that throws it, which is on every first exchange's path
 * (issue 32: some 0.5 ms and 10 KB of heap a class in a cold JVM).
 */
public final class CappedBody implements HttpResponse.BodySubscriber<byte[]>, HttpResponse.BodyHandler<byte[]> {
    /** Thrown (as the body's failure) when the body passes the limit. */
    public static final class TooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        TooLargeException(long limit) {
            super("the response body is larger than " + limit + " bytes");
        }

        private static IOException of(long limit) {
            return new TooLargeException(limit);
        }
    }

    /** The whole call, body included, did not end within its bound (the headers may have come). */
    public static final class IncompleteException extends HttpTimeoutException {
        private static final long serialVersionUID = 1L;

        IncompleteException(Duration bound) {
            super("no complete answer within " + Durations.text(bound));
        }

        private static IOException of(Duration bound) {
            return new IncompleteException(bound);
        }
    }

    /** The calling thread was interrupted while it waited; its interrupt status is kept. */
    public static final class InterruptedWaitException extends InterruptedIOException {
        private static final long serialVersionUID = 1L;

        InterruptedWaitException() {
            super("interrupted while waiting for the answer");
        }

        private static IOException of() {
            return new InterruptedWaitException();
        }
    }

    /** The call failed with neither an I/O nor a runtime exception (an {@link Error}, say): {@link #getCause()}. */
    public static final class FailedException extends IOException {
        private static final long serialVersionUID = 1L;

        FailedException(Throwable cause) {
            super(cause);
        }

        private static IOException of(Throwable cause) {
            return new FailedException(cause);
        }
    }

    /**
     * Waits for a response whose body {@link #handler} collects, at most {@code bound} for all of it: the request's
     * own timeout covers only the wait for the headers, so a server that trickles its body is cut off here. The
     * one bounded attempt behind wif4j's exchange and every provider's fetch; the caller sends, so that what
     * {@code sendAsync} itself throws stays the caller's.
     *
     * @param future the call, from {@code client.sendAsync(request, CappedBody.handler(limit))}
     * @param bound how long the whole call may take
     * @return the response, whatever its status
     * @throws IncompleteException if the whole call took longer than {@code bound}; the call is cancelled
     * @throws TooLargeException if the body passed the handler's limit
     * @throws InterruptedWaitException if the thread was interrupted (its interrupt status is set again)
     * @throws FailedException if the call failed with neither an I/O nor a runtime exception
     * @throws IOException as the client reported it otherwise ({@link HttpTimeoutException} for the headers)
     */
    public static HttpResponse<byte[]> await(CompletableFuture<HttpResponse<byte[]>> future, Duration bound)
            throws IOException {
        try {
            return BoundedWait.await(future, bound.toNanos());
        } catch (TimeoutException e) {
            throw IncompleteException.of(bound);
        } catch (InterruptedException e) {
            throw InterruptedWaitException.of();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw FailedException.of(e.getCause());
        }
    }

    private final int limit;
    private final boolean declaredTooLarge;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private volatile Flow.Subscription subscription;

    CappedBody(int limit, boolean declaredTooLarge) {
        this.limit = limit;
        this.declaredTooLarge = declaredTooLarge;
    }

    /**
     * A body handler that collects at most {@code limit} bytes.
     *
     * @param limit the most bytes accepted
     * @return the handler
     */
    public static HttpResponse.BodyHandler<byte[]> handler(int limit) {
        // The handler is a CappedBody too, that only makes the subscriber of each answer: one class on the first
        // exchange's path instead of two.
        return new CappedBody(limit, false);
    }

    /**
     * The subscriber of one answer, as this object's {@link #handler} role makes it.
     *
     * @param info the answer's status and headers
     * @return a new subscriber with this one's limit, refusing at once a body whose declared length is over it
     */
    @Override
    public HttpResponse.BodySubscriber<byte[]> apply(HttpResponse.ResponseInfo info) {
        return new CappedBody(limit, info.headers().firstValueAsLong("content-length").orElse(-1) > limit);
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (declaredTooLarge) {
            // Content-Length already says too much: refuse before reading a byte.
            s.cancel();
            result.completeExceptionally(TooLargeException.of(limit));
            return;
        }
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer item : items) {
            if (buffer.size() + (long) item.remaining() > limit) {
                subscription.cancel();
                result.completeExceptionally(TooLargeException.of(limit));
                return;
            }
            byte[] chunk = new byte[item.remaining()];
            item.get(chunk);
            buffer.write(chunk, 0, chunk.length);
        }
    }

    @Override
    public void onError(Throwable error) {
        result.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        result.complete(buffer.toByteArray());
    }
}
