package dev.wif4j.provider.gcp.internal;

import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.LowLevelHttpRequest;
import com.google.api.client.http.LowLevelHttpResponse;
import com.google.auth.http.HttpTransportFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
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
 * The Google HTTP Client transport the library's {@code ComputeEngineCredentials} talks through, on
 * {@code java.net.http}. The library builds its metadata URLs from the process's own {@code GCE_METADATA_HOST}
 * (it has no builder option for the host), so this transport sends every request to the host wif4j resolved
 * through its {@code DetectionContext} instead, keeping the library's path and query. It also:
 * <ul>
 *   <li>never uses a proxy (the metadata server is link-local) and bounds each request by a timeout;</li>
 *   <li>refuses an answer without {@code Metadata-Flavor: Google} ({@link MissingFlavorException}): whatever
 *       answered is not the metadata server;</li>
 *   <li>turns a 404 for the identity document into {@link NoServiceAccountException}, since the library's own
 *       message blames "permission scopes".</li>
 * </ul>
 */
public final class MetadataTransport extends HttpTransport {

    /** Headers {@code java.net.http} sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

    private final HttpClient client;
    private final String host;
    private final Duration timeout;

    /**
     * @param client the client to send with; it must not use a proxy
     * @param host {@code host[:port]} of the metadata server
     * @param timeout the longest a request may take
     */
    public MetadataTransport(HttpClient client, String host, Duration timeout) {
        this.client = client;
        this.host = host;
        this.timeout = timeout;
    }

    /** @return a factory handing out this transport, for {@code ComputeEngineCredentials.Builder} */
    public HttpTransportFactory factory() {
        return () -> this;
    }

    @Override
    protected LowLevelHttpRequest buildRequest(String method, String url) {
        URI asked = URI.create(url);
        String query = asked.getRawQuery() == null ? "" : "?" + asked.getRawQuery();
        URI target = URI.create("http://" + host + asked.getRawPath() + query);
        return new Request(method, target);
    }

    @Override
    public String toString() {
        return "MetadataTransport[" + host + "]";
    }

    /** The answer did not come from a metadata server. */
    public static final class MissingFlavorException extends IOException {
        private static final long serialVersionUID = 1L;
        private final int status;

        MissingFlavorException(int status) {
            super("answered HTTP " + status + " without the Metadata-Flavor: Google header");
            this.status = status;
        }

        /** @return the status of the answer */
        public int status() {
            return status;
        }
    }

    /** The metadata server has no identity for this workload: no service account is attached. */
    public static final class NoServiceAccountException extends IOException {
        private static final long serialVersionUID = 1L;

        NoServiceAccountException() {
            super("answered HTTP 404 for the identity of the default service account");
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
            HttpResponse<InputStream> response;
            try {
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while asking the metadata server");
            }
            if (!response.headers().firstValue("Metadata-Flavor").map("Google"::equalsIgnoreCase).orElse(false)) {
                response.body().close();
                throw new MissingFlavorException(response.statusCode());
            }
            if (response.statusCode() == 404 && uri.getRawPath().endsWith("/service-accounts/default/identity")) {
                response.body().close();
                throw new NoServiceAccountException();
            }
            return new Response(response);
        }
    }

    private static final class Response extends LowLevelHttpResponse {
        private final HttpResponse<InputStream> response;
        private final List<Map.Entry<String, String>> headers = new ArrayList<>();

        Response(HttpResponse<InputStream> response) {
            this.response = response;
            response.headers().map().forEach((name, values) -> {
                if (!name.startsWith(":")) {
                    values.forEach(v -> headers.add(Map.entry(name, v)));
                }
            });
        }

        @Override
        public InputStream getContent() {
            return response.body();
        }

        @Override
        public String getContentEncoding() {
            return response.headers().firstValue("Content-Encoding").orElse(null);
        }

        @Override
        public long getContentLength() {
            return response.headers().firstValueAsLong("Content-Length").orElse(-1);
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

        @Override
        public void disconnect() throws IOException {
            response.body().close();
        }
    }
}
