package dev.wif4j.internal.http;

import dev.wif4j.HttpTransport;
import dev.wif4j.spi.internal.CappedBody;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@link HttpTransport} over the JDK's client. The client is made on the first request when none was
 * given, with the TLS context set up only at the first https connection ({@link DeferredTls}): together they
 * cost a fresh JVM more than half a second.
 */
public final class JdkTransport implements HttpTransport {
    private volatile HttpClient client;

    /**
     * Creates the transport.
     *
     * @param client the client to use, or {@code null} for wif4j's own, made on first use
     */
    public JdkTransport(HttpClient client) {
        this.client = client;
    }

    /**
     * The client, if one was given or has been made.
     *
     * @return the client, or {@code null}
     */
    public HttpClient clientIfMade() {
        return client;
    }

    private HttpClient client() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                c = client;
                if (c == null) {
                    c = DeferredTls.newClientBuilder()
                            .connectTimeout(Duration.ofSeconds(10))
                            .followRedirects(HttpClient.Redirect.NEVER)
                            .build();
                    client = c;
                }
            }
        }
        return c;
    }

    @Override
    public Response send(Request request) throws IOException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri())
                .timeout(request.timeout())
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.body()));
        for (Map.Entry<String, String> header : request.headers().entrySet()) {
            builder.header(header.getKey(), header.getValue());
        }
        Duration timeout = request.timeout();
        CompletableFuture<HttpResponse<byte[]>> future =
                client().sendAsync(builder.build(), CappedBody.handler(request.maxResponseBytes()));
        HttpResponse<byte[]> response;
        try {
            // A second more than the request's timeout for the body: that timeout covers only the headers.
            response = CappedBody.await(future, timeout.plusSeconds(1));
        } catch (IOException e) {
            throw TransportFailures.translate(e, timeout, request.maxResponseBytes());
        }
        return new Response(response.statusCode(), response.headers().map(), response.body());
    }

    @Override
    public String toString() {
        return "JdkTransport[" + (client == null ? "not made yet" : client) + "]";
    }
}
