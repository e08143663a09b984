package dev.wif4j.anthropic.internal;

import com.anthropic.core.RequestOptions;
import com.anthropic.core.Timeout;
import com.anthropic.core.http.HttpClient;
import com.anthropic.core.http.HttpMethod;
import com.anthropic.core.http.HttpRequest;
import com.anthropic.core.http.HttpRequestBody;
import com.anthropic.core.http.HttpResponse;
import com.anthropic.core.http.LoggingHttpClient;
import dev.wif4j.HttpTransport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * wif4j's token exchange over the official client's own HTTP stack: the client the interceptor sits in
 * front of carries the exchange too, so a process loads one HTTP stack, opens one TLS connection per host
 * and pays one handshake. Until a client has been built with the interceptor (or after every such client
 * was closed), the JDK's client does it.
 *
 * <p>The exchange goes beneath the official client's logging: at debug level that client prints request
 * and response bodies, which here hold the identity token and the access token. Beneath the interceptors
 * sits no retry layer, so one call stays one attempt, as wif4j's retry budget needs.
 */
public final class OfficialClientTransport implements HttpTransport {
    private final List<HttpClient> clients = new CopyOnWriteArrayList<>();
    private final HttpTransport fallback = HttpTransport.jdk();

    /**
     * Lets a client the interceptor wraps carry the exchange.
     *
     * @param next the client beneath the interceptor
     */
    public void attach(HttpClient next) {
        clients.add(next);
    }

    /**
     * Stops using a client that is being closed.
     *
     * @param next the client beneath the interceptor
     */
    public void detach(HttpClient next) {
        clients.remove(next);
    }

    /**
     * Whether an official client carries the exchange now.
     *
     * @return {@code true} if one is attached
     */
    public boolean attached() {
        return !clients.isEmpty();
    }

    @Override
    public Response send(Request request) throws IOException {
        HttpClient client = clients.isEmpty() ? null : clients.get(0);
        if (client == null) {
            return fallback.send(request);
        }
        if (client instanceof LoggingHttpClient logging) {
            client = logging.httpClient(); // never log the bodies: they hold both tokens
        }
        URI uri = request.uri();
        HttpRequest.Builder builder = HttpRequest.builder()
                .method(HttpMethod.POST)
                .baseUrl(uri.getScheme() + "://" + uri.getRawAuthority());
        for (String segment : uri.getPath().split("/")) {
            if (!segment.isEmpty()) {
                builder.addPathSegment(segment);
            }
        }
        String contentType = "application/json";
        for (Map.Entry<String, String> header : request.headers().entrySet()) {
            if (header.getKey().equalsIgnoreCase("Content-Type")) {
                contentType = header.getValue(); // the body carries it
            } else {
                builder.putHeader(header.getKey(), header.getValue());
            }
        }
        builder.body(new Body(request.body(), contentType));
        Duration timeout = request.timeout();
        RequestOptions options = RequestOptions.builder()
                .timeout(Timeout.builder().connect(timeout).read(timeout).write(timeout).request(timeout).build())
                .followRedirects(false)
                .build();
        try (HttpResponse response = client.execute(builder.build(), options)) {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (String name : response.headers().names()) {
                headers.put(name, response.headers().values(name));
            }
            return new Response(response.statusCode(), headers, read(response.body(), request.maxResponseBytes()));
        } catch (RuntimeException e) {
            throw translate(e, timeout);
        }
    }

    private static byte[] read(InputStream in, int max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(max, 8192));
        byte[] buffer = new byte[8192];
        try (in) {
            for (int n; (n = in.read(buffer)) != -1; ) {
                if (out.size() + n > max) {
                    throw new ResponseTooLargeException(max);
                }
                out.write(buffer, 0, n);
            }
        }
        return out.toByteArray();
    }

    /** The client wraps I/O failures in its own unchecked exception; the transport contract speaks IOException. */
    private static RuntimeException translate(RuntimeException e, Duration timeout) throws IOException {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof InterruptedIOException io) {
                if (Thread.currentThread().isInterrupted()) {
                    throw io;
                }
                // OkHttp's call and read timeouts.
                HttpTimeoutException timedOut = new HttpTimeoutException("no answer within "
                        + (timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms"));
                timedOut.initCause(io);
                throw timedOut;
            }
            if (cause instanceof IOException io) {
                throw io;
            }
        }
        return e;
    }

    @Override
    public String toString() {
        return "OfficialClientTransport[" + (clients.isEmpty() ? "JDK client until an official client is built"
                : clients.get(0)) + "]";
    }

    /** The exchange's JSON, which may be sent again (the client's own retries are above it, but OkHttp may). */
    private static final class Body implements HttpRequestBody {
        private final byte[] bytes;
        private final String contentType;

        Body(byte[] bytes, String contentType) {
            this.bytes = bytes;
            this.contentType = contentType;
        }

        @Override
        public void writeTo(OutputStream out) {
            try {
                out.write(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String contentType() {
            return contentType;
        }

        @Override
        public long contentLength() {
            return bytes.length;
        }

        @Override
        public boolean repeatable() {
            return true;
        }

        @Override
        public void close() {}

        @Override
        public String toString() {
            return "Body[" + bytes.length + " bytes]"; // the identity token is in it
        }
    }
}
