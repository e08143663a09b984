package dev.wif4j.internal.http;

import java.net.http.HttpClient;
import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The JDK's default TLS context, set up at the first TLS connection instead of when an {@link HttpClient} is
 * built. {@code HttpClient.Builder.build()} asks for {@link SSLContext#getDefault()} at once, which loads and
 * initialises the JSSE provider and reads the trust store: hundreds of milliseconds in a fresh JVM, paid even by a
 * client that only ever speaks http to a metadata server or a loopback base URL. This context hands every call to
 * the default one, which it asks for only when a TLS engine or socket is needed; the trust store, the protocols
 * and the cipher suites are exactly the default context's ({@code javax.net.ssl.*} properties included).
 */
public final class DeferredTls {
    private DeferredTls() {}

    /**
     * A builder with the deferred TLS context and empty TLS parameters (which leave the engine's defaults in
     * place), so that building the client touches no TLS class.
     *
     * @return a new builder
     */
    public static HttpClient.Builder newClientBuilder() {
        return HttpClient.newBuilder().sslContext(new Deferred()).sslParameters(new SSLParameters());
    }

    private static final class Deferred extends SSLContext {
        Deferred() {
            super(new Spi(), null, "Default");
        }
    }

    /** Each call goes to the default context, looked up then: the JDK caches it after the first time. */
    private static final class Spi extends SSLContextSpi {
        private static SSLContext context() {
            try {
                return SSLContext.getDefault();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK has no default TLS context", e);
            }
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
            throw new KeyManagementException("the default TLS context is already initialised");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return context().getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return context().getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return context().createSSLEngine();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return context().createSSLEngine(host, port);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return context().getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return context().getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return context().getDefaultSSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return context().getSupportedSSLParameters();
        }
    }
}
