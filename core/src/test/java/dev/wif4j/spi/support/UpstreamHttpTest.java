package dev.wif4j.spi.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.internal.env.SystemDetectionContext;
import dev.wif4j.spi.IdentityTokenException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An upstream call made through the support tier goes through the JDK's proxy settings; the detection probes
 * never do. The proxy is a loopback server that answers every request itself and records its request line; it is
 * named the way users name theirs, with {@code http.proxyHost} and {@code http.proxyPort}. A test may reach no other
 * host, so {@code http.nonProxyHosts} is set empty: the JDK's default exempts localhost and 127.*, and any other
 * value gets them added back.
 */
class UpstreamHttpTest {
    private static final List<String> PROPERTIES = List.of("http.proxyHost", "http.proxyPort", "http.nonProxyHosts");

    private final Map<String, String> saved = new java.util.HashMap<>();
    private final List<String> requestLines = new CopyOnWriteArrayList<>();
    private ServerSocket proxy;
    private Thread serving;

    @BeforeEach
    void startProxy() throws Exception {
        proxy = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        serving = new Thread(this::serve, "loopback-proxy");
        serving.setDaemon(true);
        serving.start();
        for (String name : PROPERTIES) {
            saved.put(name, System.getProperty(name));
        }
        System.setProperty("http.proxyHost", "127.0.0.1");
        System.setProperty("http.proxyPort", String.valueOf(proxy.getLocalPort()));
        System.setProperty("http.nonProxyHosts", "");
    }

    @AfterEach
    void stopProxy() throws Exception {
        for (String name : PROPERTIES) {
            if (saved.get(name) == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, saved.get(name));
            }
        }
        proxy.close();
        serving.join(5_000);
    }

    private void serve() {
        while (!proxy.isClosed()) {
            try (Socket s = proxy.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                requestLines.add(in.readLine());
                for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                    // headers: not needed
                }
                byte[] body = "{\"via\":\"proxy\"}".getBytes(StandardCharsets.US_ASCII);
                OutputStream out = s.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
            } catch (java.io.IOException e) {
                // closed: the test is over
            }
        }
    }

    /** A port nothing listens on: reached directly, the call fails; through the proxy, the proxy answers. */
    private static int deadPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void anUpstreamCallGoesThroughTheJdkProxySettings() throws Exception {
        URI target = URI.create("http://127.0.0.1:" + deadPort() + "/v1/identity/oidc/token/claude");
        HttpResponse<byte[]> response = BoundedHttp.send(UpstreamHttp.client(Duration.ofSeconds(2)),
                HttpRequest.newBuilder(target).GET().build(), 1024, Duration.ofSeconds(5), "Vault");
        assertEquals(200, response.statusCode());
        assertEquals("proxy", JsonAnswer.parse(response.body(), "Vault").requireString("via"));
        assertEquals(List.of("GET " + target + " HTTP/1.1"), requestLines, "the proxy saw the absolute URI");
    }

    @Test
    void theDetectionProbesNeverUseAProxy() throws Exception {
        URI target = URI.create("http://127.0.0.1:" + deadPort() + "/computeMetadata/v1/");
        IdentityTokenException e = assertThrows(IdentityTokenException.class, () -> BoundedHttp.send(
                new SystemDetectionContext(Map.of()).httpClient(), HttpRequest.newBuilder(target).GET().build(), 1024,
                Duration.ofSeconds(5), "the metadata server"));
        assertTrue(e.getMessage().startsWith("Could not reach the metadata server"), e.getMessage());
        assertEquals(List.of(), requestLines, "the probe went to the proxy");
    }
}
