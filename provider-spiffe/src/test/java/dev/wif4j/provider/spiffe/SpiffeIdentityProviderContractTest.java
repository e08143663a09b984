package dev.wif4j.provider.spiffe;


import dev.wif4j.spi.IdentityProvider;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.IdentityProviderContract;
import dev.wif4j.testkit.OidcIssuer;
import dev.wif4j.testkit.WorkloadApiEmulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contract every built-in provider passes, against the Workload API emulator on a Unix socket: well-formed id,
 * registered for ServiceLoader, unavailable and off the network without its signals, never throwing from detect,
 * a fresh JWT-SVID on every fetch, dotted setting keys, and no token in any toString or log line.
 */
class SpiffeIdentityProviderContractTest extends IdentityProviderContract {
    static final String SOCKET = "/run/spire/agent-sockets/agent.sock";

    private static Path directory;
    private static OidcIssuer issuer;
    private static WorkloadApiEmulator agent;

    @BeforeAll
    static void startAgent() throws IOException {
        directory = Files.createTempDirectory("spiffe-contract");
        issuer = OidcIssuer.start();
        agent = WorkloadApiEmulator.builder(issuer).unixSocket(directory.resolve("agent.sock")).start();
    }

    @AfterAll
    static void stopAgent() throws IOException {
        agent.close();
        issuer.close();
        Files.deleteIfExists(directory);
    }

    @Override
    protected IdentityProvider provider() {
        return new SpiffeIdentityProvider();
    }

    /** Each context has a file system of its own; the agent's socket appears in it as the mount would. */
    @Override
    protected FakeDetectionContext availableContext() {
        FakeDetectionContext context = FakeDetectionContext.builder()
                .env("SPIFFE_ENDPOINT_SOCKET", "unix://" + SOCKET).build();
        link(context, agent);
        return context;
    }

    /** Puts a link to the agent's socket at {@link #SOCKET} in the context's file system. */
    static void link(FakeDetectionContext context, WorkloadApiEmulator agent) {
        try {
            Path at = context.path(SOCKET);
            Files.createDirectories(at.getParent());
            Files.createSymbolicLink(at, agent.socket().orElseThrow());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
