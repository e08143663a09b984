package dev.wif4j.spi.support;

import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;

/**
 * The HTTP client a token source calls its upstream with (a token service, an identity provider, Vault): unlike the
 * context's probe client ({@link dev.wif4j.spi.DetectionContext#httpClient()}, which never uses a proxy, since
 * metadata endpoints are link-local), it goes through the JDK's proxy settings, as every Java HTTP client in a
 * corporate network is expected to: {@code https.proxyHost}/{@code https.proxyPort},
 * {@code http.proxyHost}/{@code http.proxyPort}, {@code http.nonProxyHosts}, or the system's own with
 * {@code -Djava.net.useSystemProxies=true} (whatever {@link ProxySelector#getDefault()} says at each request).
 *
 * <p>It follows no redirect: a request that carries a credential must not be led to another host. Send with
 * {@link BoundedHttp#send}, which bounds the whole call.
 */
public final class UpstreamHttp {

    private UpstreamHttp() {}

    /**
     * A new client; build one per token source and keep it (each client holds a thread and a connection pool).
     *
     * @param connectTimeout how long opening a connection may take
     * @return the client
     */
    public static HttpClient client(Duration connectTimeout) {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER);
        ProxySelector proxies = ProxySelector.getDefault();
        if (proxies != null) {
            builder.proxy(proxies);
        }
        return builder.build();
    }
}
