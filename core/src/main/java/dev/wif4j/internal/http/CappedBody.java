package dev.wif4j.internal.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects a response body, refusing it as soon as it passes a limit, so that an endless or
 * huge answer costs neither memory nor time.
 */
public final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
    /** Thrown (as the body's failure) when the body passes the limit. */
    public static final class TooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        TooLargeException(long limit) {
            super("the response body is larger than " + limit + " bytes");
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
        return info -> new CappedBody(limit,
                info.headers().firstValueAsLong("content-length").orElse(-1) > limit);
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
            result.completeExceptionally(new TooLargeException(limit));
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
                result.completeExceptionally(new TooLargeException(limit));
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
