package dev.wif4j.testkit.internal;

import java.io.IOException;
import java.net.Authenticator;
import java.net.ConnectException;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * An {@link HttpClient} that records every request URI and either passes it to a real client or,
 * when the network is forbidden, fails it at once, so a test can prove a provider made no call.
 */
public final class RecordingHttpClient extends HttpClient {

    private final HttpClient delegate;
    private final boolean forbidden;
    private final List<URI> requests = new CopyOnWriteArrayList<>();

    /**
     * @param delegate the client that sends allowed requests
     * @param forbidden whether every request fails instead
     */
    public RecordingHttpClient(HttpClient delegate, boolean forbidden) {
        this.delegate = delegate;
        this.forbidden = forbidden;
    }

    /** @return every URI asked for, allowed or not, in order */
    public List<URI> requests() {
        return List.copyOf(requests);
    }

    private void record(HttpRequest request) throws ConnectException {
        requests.add(request.uri());
        if (forbidden) {
            throw new ConnectException("this test forbids network calls, but something asked for " + request.uri());
        }
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        record(request);
        return delegate.send(request, handler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            record(request);
        } catch (ConnectException e) {
            return CompletableFuture.failedFuture(e);
        }
        return delegate.sendAsync(request, handler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
            HttpResponse.PushPromiseHandler<T> push) {
        try {
            record(request);
        } catch (ConnectException e) {
            return CompletableFuture.failedFuture(e);
        }
        return delegate.sendAsync(request, handler, push);
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return delegate.cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return delegate.connectTimeout();
    }

    @Override
    public Redirect followRedirects() {
        return delegate.followRedirects();
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return delegate.proxy();
    }

    @Override
    public SSLContext sslContext() {
        return delegate.sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return delegate.sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return delegate.authenticator();
    }

    @Override
    public Version version() {
        return delegate.version();
    }

    @Override
    public Optional<Executor> executor() {
        return delegate.executor();
    }
}
