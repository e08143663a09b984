package dev.wif4j.internal.http;

import dev.wif4j.HttpTransport;
import dev.wif4j.spi.internal.CappedBody;
import dev.wif4j.spi.internal.Durations;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * What {@link JdkTransport} throws when its call fails. A class of its own, loaded at the first failure: the
 * exception types it names are then none of the classes the JVM loads to verify the transport, which is on every
 * first exchange's path (issue 32).
 */
final class TransportFailures {
    private TransportFailures() {}

    /**
     * The failure the transport reports for what waiting on the call threw.
     *
     * @param failure what {@link CappedBody#await} threw
     * @param timeout the request's timeout, as messages name it
     * @param maxBytes the most body bytes the request accepted
     * @return the failure to throw: a timeout for the headers or the whole answer, a body over the limit, or the
     *     client's own failure
     */
    static IOException translate(IOException failure, Duration timeout, int maxBytes) {
        if (failure instanceof CappedBody.IncompleteException) {
            return new HttpTimeoutException("no complete answer within " + Durations.text(timeout));
        }
        if (failure instanceof CappedBody.TooLargeException) {
            return new HttpTransport.ResponseTooLargeException(maxBytes);
        }
        if (failure instanceof HttpTimeoutException) {
            return new HttpTimeoutException("no answer within " + Durations.text(timeout));
        }
        if (failure instanceof CappedBody.FailedException) {
            if (failure.getCause() instanceof Error error) {
                throw error;
            }
            return new IOException(failure.getCause());
        }
        return failure;
    }
}
