package dev.wif4j.provider.gcp.internal;

import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.LowLevelHttpRequest;
import com.google.api.client.http.LowLevelHttpResponse;
import com.google.auth.http.HttpTransportFactory;
import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.support.BoundedHttp;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The Google HTTP Client transport the Google Auth Library talks through, on {@code java.net.http}: every
 * request is ONE attempt of {@link BoundedHttp}, whose deadline (the fetch timeout) covers the whole call, body
 * included. The library's own request retries cannot multiply calls behind it: the requests wif4j has it make
 * (the metadata server's identity document, a service account's token endpoint) carry no retry handlers, and
 * the impersonation source's retries are switched off by {@link GoogleIdTokenSource}.
 *
 * <p>For the metadata server ({@link #metadata}), the library builds its URLs from the process's own
 * {@code GCE_METADATA_HOST} (it has no builder option for the host), so this transport sends every request to
 * the host wif4j resolved through its {@code DetectionContext} instead, keeping the library's path and query.
 * It also refuses an answer without {@code Metadata-Flavor: Google} (a {@link MetadataAnswerException}: whatever
 * answered is not the metadata server), and turns a 404 for the identity document into one that says no service
 * account is attached, since the library's own message blames "permission scopes".
 */
public final class BoundedTransport extends HttpTransport {

    /** Headers {@code java.net.http} sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

    private final HttpClient client;
    private final String metadataHost;
    private final Duration timeout;
    private final String upstream;

    private BoundedTransport(HttpClient client, String metadataHost, Duration timeout, String upstream) {
        this.client = client;
        this.metadataHost = metadataHost;
        this.timeout = timeout;
        this.upstream = upstream;
    }

    /**
     * A transport to the metadata server.
     *
     * @param client the client to send with; it must not use a proxy (the metadata server is link-local)
     * @param host {@code host[:port]} of the metadata server
     * @param timeout the longest one request may take, body included
     * @return the transport
     */
    public static BoundedTransport metadata(HttpClient client, String host, Duration timeout) {
        return new BoundedTransport(client, host, timeout, "the metadata server at " + host);
    }

    /**
     * A transport sending to the URLs the library asks for (a token endpoint, the IAM Credentials API).
     *
     * @param client the client to send with
     * @param timeout the longest one request may take, body included
     * @return the transport
     */
    public static BoundedTransport direct(HttpClient client, Duration timeout) {
        return new BoundedTransport(client, null, timeout, "the Google token endpoint");
    }

    /** @return a factory handing out this transport, for the library's credentials builders */
    public HttpTransportFactory factory() {
        return () -> this;
    }

    @Override
    protected LowLevelHttpRequest buildRequest(String method, String url) {
        URI asked = URI.create(url);
        if (metadataHost == null) {
            return new Request(method, asked);
        }
        String query = asked.getRawQuery() == null ? "" : "?" + asked.getRawQuery();
        return new Request(method, URI.create("http://" + metadataHost + asked.getRawPath() + query));
    }

    @Override
    public String toString() {
        return "BoundedTransport[" + (metadataHost == null ? "direct" : metadataHost) + ", " + timeout + "]";
    }

    /**
     * The metadata server's answer cannot be used: it did not come from a metadata server (no
     * {@code Metadata-Flavor: Google}), or the server has no identity for this workload (404 for the default service
     * account's identity).
     */
    public static final class MetadataAnswerException extends IOException {
        private static final long serialVersionUID = 1L;
        /** Whether the answer came from a metadata server that has no service account for this workload. */
        private final boolean noServiceAccount;

        MetadataAnswerException(int status, boolean noServiceAccount) {
            super(noServiceAccount ? "answered HTTP 404 for the identity of the default service account"
                    : "answered HTTP " + status + " without the Metadata-Flavor: Google header");
            this.noServiceAccount = noServiceAccount;
        }

        /**
         * Whether the metadata server answered, and has no service account attached.
         *
         * @return {@code true} for no service account, {@code false} for an answer that is not the metadata server's
         */
        public boolean noServiceAccount() {
            return noServiceAccount;
        }
    }

    /**
     * The one attempt failed before an answer ({@link BoundedHttp}'s failure: network, deadline, size), carried
     * through the library as the {@link IOException} it expects.
     */
    public static final class AttemptFailedException extends IOException {
        private static final long serialVersionUID = 1L;
        private final transient IdentityTokenException failure;

        AttemptFailedException(IdentityTokenException failure) {
            super(failure.getMessage(), failure);
            this.failure = failure;
        }

        /** @return the failure, retryable or not */
        public IdentityTokenException failure() {
            return failure;
        }
    }

    private final class Request extends LowLevelHttpRequest {
        private final String method;
        private final URI uri;
        private final List<String[]> headers = new ArrayList<>();

        Request(String method, URI uri) {
            this.method = method;
            this.uri = uri;
        }

        @Override
        public void addHeader(String name, String value) {
            if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                headers.add(new String[] {name, value});
            }
        }

        @Override
        public LowLevelHttpResponse execute() throws IOException {
            HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();
            if (getStreamingContent() != null) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                getStreamingContent().writeTo(bytes);
                body = HttpRequest.BodyPublishers.ofByteArray(bytes.toByteArray());
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).method(method, body);
            for (String[] header : headers) {
                request.header(header[0], header[1]);
            }
            if (getContentType() != null) {
                request.header("Content-Type", getContentType());
            }
            HttpResponse<byte[]> response;
            try {
                response = BoundedHttp.send(client, request.build(), BoundedHttp.DEFAULT_MAX_BYTES, timeout, upstream);
            } catch (IdentityTokenException e) {
                throw new AttemptFailedException(e);
            }
            if (metadataHost != null) {
                if (!response.headers().firstValue("Metadata-Flavor").map("Google"::equalsIgnoreCase).orElse(false)) {
                    throw new MetadataAnswerException(response.statusCode(), false);
                }
                if (response.statusCode() == 404 && uri.getRawPath().endsWith("/service-accounts/default/identity")) {
                    throw new MetadataAnswerException(404, true);
                }
            }
            return new Response(response);
        }
    }

    private static final class Response extends LowLevelHttpResponse {
        private final HttpResponse<byte[]> response;
        private final List<Map.Entry<String, String>> headers = new ArrayList<>();

        Response(HttpResponse<byte[]> response) {
            this.response = response;
            response.headers().map().forEach((name, values) -> {
                if (!name.startsWith(":")) {
                    values.forEach(v -> headers.add(Map.entry(name, v)));
                }
            });
        }

        @Override
        public InputStream getContent() {
            return new ByteArrayInputStream(response.body());
        }

        @Override
        public String getContentEncoding() {
            return response.headers().firstValue("Content-Encoding").orElse(null);
        }

        @Override
        public long getContentLength() {
            return response.body().length;
        }

        @Override
        public String getContentType() {
            return response.headers().firstValue("Content-Type").orElse(null);
        }

        @Override
        public String getStatusLine() {
            return "HTTP/1.1 " + response.statusCode();
        }

        @Override
        public int getStatusCode() {
            return response.statusCode();
        }

        @Override
        public String getReasonPhrase() {
            return null;
        }

        @Override
        public int getHeaderCount() {
            return headers.size();
        }

        @Override
        public String getHeaderName(int index) {
            return headers.get(index).getKey();
        }

        @Override
        public String getHeaderValue(int index) {
            return headers.get(index).getValue();
        }
    }
}
