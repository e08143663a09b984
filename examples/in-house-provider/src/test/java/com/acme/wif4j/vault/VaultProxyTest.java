package com.acme.wif4j.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.OidcIssuer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Behind a corporate proxy: the call to Vault goes through the JDK's proxy settings ({@code http.proxyHost} and
 * friends), through a forward proxy on 127.0.0.1 that relays plain-http requests and notes each request line.
 */
class VaultProxyTest {
    private static final String TOKEN = "hvs.CAESIProxied";

    @Test
    @DisplayName("the Vault call goes through the proxy the JDK's http.proxyHost/http.proxyPort name")
    void vaultCallGoesThroughTheJdkProxy() throws IOException {
        try (OidcIssuer issuer = OidcIssuer.start();
                VaultEmulator vault = VaultEmulator.start(issuer).acceptToken(TOKEN).role("wif4j", OidcIssuer.DEFAULT_AUDIENCE);
                ForwardProxy proxy = new ForwardProxy()) {
            Map<String, String> saved = new LinkedHashMap<>();
            // The JDK leaves out localhost and 127.* unless http.nonProxyHosts is set, and set empty (any other value
            // gets those added back): so empty, for the proxy to see a call to Vault on 127.0.0.1.
            for (String[] p : new String[][] {{"http.proxyHost", "127.0.0.1"},
                    {"http.proxyPort", String.valueOf(proxy.port())}, {"http.nonProxyHosts", ""}}) {
                saved.put(p[0], System.getProperty(p[0]));
                System.setProperty(p[0], p[1]);
            }
            try (FakeDetectionContext context = FakeDetectionContext.builder().env("VAULT_ADDR", vault.address())
                    .env("VAULT_TOKEN", TOKEN).env("WIF4J_ACME_VAULT_ROLE", "wif4j").build();
                    IdentityTokenSource source = new VaultIdentityProvider().open(context)) {
                assertEquals(VaultEmulator.ENTITY_ID, source.fetch().subject().orElseThrow());
                assertEquals(List.of("GET " + vault.address() + "/v1/identity/oidc/token/wif4j HTTP/1.1"),
                        proxy.requestLines());
            } finally {
                saved.forEach((k, v) -> {
                    if (v == null) {
                        System.clearProperty(k);
                    } else {
                        System.setProperty(k, v);
                    }
                });
            }
        }
    }

    /**
     * A forward proxy for plain http, one connection at a time: it reads a request in absolute form
     * ({@code GET http://host:port/path HTTP/1.1}), sends it on to that host with {@code Connection: close}, and copies
     * the answer back. GET only, which is all a Vault token call is.
     */
    private static final class ForwardProxy implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        private final List<String> requestLines = Collections.synchronizedList(new ArrayList<>());
        private final Thread thread = new Thread(this::serve, "forward-proxy");

        ForwardProxy() throws IOException {
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return server.getLocalPort();
        }

        List<String> requestLines() {
            return List.copyOf(requestLines);
        }

        private void serve() {
            while (!server.isClosed()) {
                try (Socket client = server.accept()) {
                    client.setSoTimeout(10_000);
                    String[] head = readHead(client.getInputStream()).split("\r\n");
                    requestLines.add(head[0]);
                    String[] requestLine = head[0].split(" ");
                    URI target = URI.create(requestLine[1]);
                    StringBuilder relayed = new StringBuilder(requestLine[0] + " " + target.getRawPath() + " HTTP/1.1\r\n");
                    for (int i = 1; i < head.length; i++) {
                        String name = head[i].substring(0, head[i].indexOf(':')).strip();
                        if (!name.equalsIgnoreCase("Connection") && !name.equalsIgnoreCase("Proxy-Connection")) {
                            relayed.append(head[i]).append("\r\n");
                        }
                    }
                    relayed.append("Connection: close\r\n\r\n");
                    try (Socket upstream = new Socket(target.getHost(), target.getPort())) {
                        upstream.setSoTimeout(10_000);
                        upstream.getOutputStream().write(relayed.toString().getBytes(StandardCharsets.ISO_8859_1));
                        OutputStream out = client.getOutputStream();
                        upstream.getInputStream().transferTo(out);
                        out.flush();
                    }
                } catch (IOException | RuntimeException e) {
                    // The socket closed (the test ended) or a request this proxy does not handle: the test's
                    // assertions say what was missed.
                }
            }
        }

        private static String readHead(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != -1) {
                head.write(b);
                String text = head.toString(StandardCharsets.ISO_8859_1);
                if (text.endsWith("\r\n\r\n")) {
                    return text.substring(0, text.length() - 4);
                }
            }
            throw new IOException("the request ended before its head did");
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
