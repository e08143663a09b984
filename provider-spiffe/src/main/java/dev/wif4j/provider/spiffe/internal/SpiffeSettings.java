package dev.wif4j.provider.spiffe.internal;

import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.support.Endpoints;
import dev.wif4j.spi.support.ProviderSettings;
import dev.wif4j.spi.support.Setting;
import dev.wif4j.spi.support.SettingException;
import io.spiffe.exception.InvalidSpiffeIdException;
import io.spiffe.spiffeid.SpiffeId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code spiffe} provider's settings, read once through the support kit, each from the first source that sets
 * it: the setting {@code spiffe.<key>} given in code, the system property {@code wif4j.spiffe.<key>}, the variable
 * {@code WIF4J_SPIFFE_<KEY>}, then SPIFFE's own variable where it has one.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>key</th><th>SPIFFE's variable</th><th>what it is</th></tr>
 *   <tr><td>{@code socket}</td><td>{@code SPIFFE_ENDPOINT_SOCKET}</td><td>the Workload API:
 *       {@code unix:///path/to/agent.sock} or {@code tcp://127.0.0.1:PORT}</td></tr>
 *   <tr><td>{@code spiffe.id}</td><td></td><td>the SPIFFE ID to ask for, when the workload has several</td></tr>
 *   <tr><td>{@code timeout}</td><td></td><td>how long one Workload API call may take; at most, and by default,
 *       the fetch budget</td></tr>
 *   <tr><td>{@code audience}</td><td></td><td>the JWT-SVID's audience</td></tr>
 * </table>
 *
 * <p>Every problem is a {@link SettingException} naming the source to fix. Nothing here is a secret.
 */
public final class SpiffeSettings {
    /** The provider id. */
    public static final String ID = "spiffe";
    /** SPIFFE's standard variable for the Workload API's address. */
    public static final String SOCKET_VARIABLE = "SPIFFE_ENDPOINT_SOCKET";

    /** What the socket setting should name: a constant, so that detection's no-signal verdict loads no class for it. */
    public static final String SOCKET_HINT = "the SPIFFE Workload API's address, such as "
            + "unix:///run/spire/agent-sockets/agent.sock (the SPIRE agent's socket) or tcp://127.0.0.1:8081; "
            + "no SPIFFE Workload API is configured here";
    private static final Duration SHORTEST_TIMEOUT = Duration.ofMillis(100);
    /** An IP literal as the SPIFFE Workload Endpoint standard requires for tcp: dotted IPv4 or bracketed IPv6. */
    private static final Pattern IP_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|\\[[0-9A-Fa-f:.]+]");

    private final Setting socketSetting;
    private final URI address;
    private final Path socketPath;
    private final InetSocketAddress tcpAddress;
    private final String authority;
    private final Setting spiffeIdSetting;
    private final SpiffeId spiffeId;
    private final Duration timeout;
    private final String audience;

    private SpiffeSettings(DetectionContext context) {
        ProviderSettings settings = ProviderSettings.of(context, ID);
        socketSetting = socket(settings);
        String text = socketSetting.require(SOCKET_HINT);
        try {
            address = new URI(text);
        } catch (URISyntaxException e) {
            throw socketSetting.invalid("it is not a URI: write unix:///path/to/agent.sock or tcp://127.0.0.1:PORT");
        }
        String scheme = address.getScheme() == null ? "" : address.getScheme();
        if (address.isOpaque() || address.getRawQuery() != null || address.getRawFragment() != null) {
            throw socketSetting.invalid("a Workload API address is unix:///path/to/agent.sock or tcp://IP:PORT, "
                    + "with no query or fragment");
        }
        if (scheme.equals("unix")) {
            String path = address.getPath();
            if (address.getRawAuthority() != null || path == null || path.isEmpty() || path.equals("/")) {
                throw socketSetting.invalid("a unix address names an absolute socket path after three slashes, "
                        + "such as unix:///run/spire/agent-sockets/agent.sock");
            }
            socketPath = context.path(path);
            tcpAddress = null;
            // What grpc-go, the kubelet and Quarkus send over a Unix socket; grpc-java would send the socket's path,
            // which strict HTTP/2 servers (h2, nghttp2) refuse as no host[:port] (grpc/grpc-java#12664).
            authority = "localhost";
        } else if (scheme.equals("tcp")) {
            String host = address.getHost();
            if (address.getRawUserInfo() != null || host == null || !IP_LITERAL.matcher(host).matches()
                    || !(address.getPath() == null || address.getPath().isEmpty())) {
                throw socketSetting.invalid("a tcp address is an IP address and a port, such as tcp://127.0.0.1:8081");
            }
            if (address.getPort() == -1) {
                throw socketSetting.invalid("it has no port: a tcp address is an IP address and a port, such as "
                        + "tcp://127.0.0.1:8081 or tcp://[::1]:8081");
            }
            if (address.getPort() < 1 || address.getPort() > 65535) {
                throw socketSetting.invalid("the port " + address.getPort() + " is out of range: a tcp address is an "
                        + "IP address and a port from 1 to 65535, such as tcp://127.0.0.1:8081");
            }
            if (!Endpoints.isLoopback(host)) {
                throw socketSetting.invalid("the Workload API over TCP is unencrypted, so wif4j talks to it on this "
                        + "host only (127.0.0.1 or [::1]); reach a remote agent through its Unix socket");
            }
            socketPath = null;
            try {
                // An IP literal (127.0.0.1 or ::1 by now): parsed, never looked up.
                tcpAddress = new InetSocketAddress(InetAddress.getByName(host.replace("[", "").replace("]", "")),
                        address.getPort());
            } catch (UnknownHostException e) {
                throw socketSetting.invalid("a tcp address is an IP address and a port, such as tcp://127.0.0.1:8081");
            }
            authority = address.getRawAuthority();
        } else {
            throw socketSetting.invalid("a Workload API address starts with unix:// or tcp://, such as "
                    + "unix:///run/spire/agent-sockets/agent.sock");
        }
        spiffeIdSetting = settings.get("spiffe.id");
        Optional<String> id = spiffeIdSetting.value();
        SpiffeId parsed = null;
        if (id.isPresent()) {
            try {
                parsed = SpiffeId.parse(id.get());
            } catch (InvalidSpiffeIdException | IllegalArgumentException e) {
                throw spiffeIdSetting.invalid("it is not a SPIFFE ID (" + e.getMessage()
                        + "); write one such as spiffe://example.org/ns/prod/sa/billing");
            }
        }
        spiffeId = parsed;
        // One fetch is one bounded attempt: a Workload API call may not outlast wif4j's fetch budget.
        Duration budget = context.fetchTimeout();
        Duration shortest = budget.compareTo(SHORTEST_TIMEOUT) < 0 ? budget : SHORTEST_TIMEOUT;
        timeout = settings.get("timeout").asDuration(budget, shortest, budget);
        audience = settings.audience();
    }

    private static Setting socket(ProviderSettings settings) {
        return settings.get("socket").orEnv(SOCKET_VARIABLE);
    }

    /**
     * Reads and checks every setting; connects to nothing and reads no file.
     *
     * @param context the context
     * @return the settings
     * @throws SettingException if one is missing or malformed
     */
    public static SpiffeSettings read(DetectionContext context) {
        return new SpiffeSettings(context);
    }

    /** @return the address as configured, e.g. {@code unix:///run/spire/agent-sockets/agent.sock} */
    public String address() {
        return address.toString();
    }

    /** @return where the address came from, e.g. {@code SPIFFE_ENDPOINT_SOCKET} */
    public String addressSource() {
        return socketSetting.source().orElseThrow();
    }

    /** @return the Unix socket to connect to (through the context's file system); empty for tcp */
    public Optional<Path> socketPath() {
        return Optional.ofNullable(socketPath);
    }

    /** @return the Workload API's TCP address (an IP literal, never looked up); empty for a Unix socket */
    Optional<InetSocketAddress> tcpAddress() {
        return Optional.ofNullable(tcpAddress);
    }

    /**
     * @return the HTTP/2 {@code :authority} of each call: {@code localhost} over a Unix socket, the address's
     *     {@code host:port} over TCP
     */
    String authority() {
        return authority;
    }

    /** @return the SPIFFE ID to ask for; empty for the Workload API's first */
    public Optional<SpiffeId> spiffeId() {
        return Optional.ofNullable(spiffeId);
    }

    /** @return where the SPIFFE ID came from, e.g. {@code WIF4J_SPIFFE_SPIFFE_ID} */
    String spiffeIdSource() {
        return spiffeIdSetting.source().orElse(spiffeIdSetting.variable());
    }

    /** @return the variable that chooses a SPIFFE ID, for messages */
    String spiffeIdVariable() {
        return spiffeIdSetting.variable();
    }

    /** @return how long one Workload API call may take */
    public Duration timeout() {
        return timeout;
    }

    /** @return the audience asked for */
    public String audience() {
        return audience;
    }

    @Override
    public String toString() {
        return "SpiffeSettings[" + address + spiffeId().map(id -> ", " + id).orElse("") + ", audience " + audience
                + ", timeout " + timeout + "]";
    }
}
