package child;

import dev.wif4j.provider.spiffe.SpiffeIdentityProvider;
import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.OidcIssuer;
import dev.wif4j.testkit.WorkloadApiEmulator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;

/**
 * Run by {@code SpiffeIdentityProviderTest} in a JVM of its own that may use IPv6 (the tests' JVM prefers IPv4):
 * the Workload API emulator on 127.0.0.1, a byte-for-byte forwarder to it on {@code [::1]}, and one fetch with
 * {@code SPIFFE_ENDPOINT_SOCKET=tcp://[::1]:PORT}. Prints {@code no-ipv6} when there is no IPv6 loopback.
 */
public final class Ipv6Fetch {
    private Ipv6Fetch() {
    }

    /**
     * @param args unused
     * @throws Exception when the emulator cannot start
     */
    public static void main(String[] args) throws Exception {
        ServerSocket listener;
        try {
            listener = new ServerSocket(0, 4, InetAddress.getByName("::1"));
        } catch (IOException e) {
            System.out.println("no-ipv6 " + e);
            return;
        }
        try (listener; OidcIssuer issuer = OidcIssuer.start();
                WorkloadApiEmulator agent = WorkloadApiEmulator.builder(issuer).tcp().start()) {
            int port = URI.create(agent.address()).getPort();
            Thread forwarder = new Thread(() -> {
                try {
                    while (true) {
                        Socket in = listener.accept();
                        Socket out = new Socket(InetAddress.getByName("127.0.0.1"), port);
                        pump(in, out);
                        pump(out, in);
                    }
                } catch (IOException e) {
                    // the listener is closed
                }
            });
            forwarder.setDaemon(true);
            forwarder.start();
            String address = "tcp://[::1]:" + listener.getLocalPort();
            try (FakeDetectionContext context = FakeDetectionContext.builder()
                    .env("SPIFFE_ENDPOINT_SOCKET", address).build();
                    IdentityTokenSource source = new SpiffeIdentityProvider().open(context)) {
                System.out.println("detection=" + new SpiffeIdentityProvider().detect(context).isAvailable());
                IdentityToken token = source.fetch();
                System.out.println("subject=" + token.subject().orElse("?"));
                System.out.println("requests=" + agent.requests().size());
            } catch (RuntimeException e) {
                System.out.println("error=" + e);
            }
        }
    }

    private static void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            try {
                from.getInputStream().transferTo(to.getOutputStream());
                to.shutdownOutput();
            } catch (IOException e) {
                // closed
            }
        });
        t.setDaemon(true);
        t.start();
    }
}
