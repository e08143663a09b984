package dev.wif4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.testkit.internal.WorkloadApiWire;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link WorkloadApiEmulator} refuses, seen by bare gRPC calls that java-spiffe would never make. */
class WorkloadApiEmulatorTest {
    private static final Metadata.Key<String> HEADER =
            Metadata.Key.of(WorkloadApiEmulator.SECURITY_HEADER, Metadata.ASCII_STRING_MARSHALLER);

    @AutoClose
    private final OidcIssuer issuer = OidcIssuer.start();

    @TempDir
    Path directory;

    @Test
    @DisplayName("the emulator refuses a call without the workload.spiffe.io header, as SPIRE's agent does")
    void refusesACallWithoutTheSecurityHeader() throws Exception {
        try (WorkloadApiEmulator agent = WorkloadApiEmulator.builder(issuer).tcp().start()) {
            URI uri = URI.create(agent.address());
            Status status = fetchJwtSvid(NettyChannelBuilder.forAddress(uri.getHost(), uri.getPort())
                    .channelType(EpollSocketChannel.class), false);
            assertEquals("INVALID_ARGUMENT: security header missing from request",
                    status.getCode() + ": " + status.getDescription());
            List<WorkloadApiEmulator.Request> requests = agent.requests();
            assertEquals(1, requests.size());
            assertFalse(requests.get(0).securityHeader());
        }
    }

    @Test
    @DisplayName("over a Unix socket, grpc-java's default :authority (the socket's path) is refused as h2 and nghttp2 "
            + "refuse it; localhost is served, and anyAuthority() serves the path too")
    void refusesAPathAuthorityAsStrictServersDo() throws Exception {
        Path socket = directory.resolve("agent.sock");
        String path = socket.toAbsolutePath().toString();
        try (WorkloadApiEmulator agent = WorkloadApiEmulator.builder(issuer).unixSocket(socket).start()) {
            Status refused = fetchJwtSvid(overUnixSocket(path), true);
            assertEquals(Status.Code.INTERNAL, refused.getCode(), refused.toString());
            assertEquals("RST_STREAM PROTOCOL_ERROR (emulated): the :authority '" + path + "' is not an RFC 3986 "
                    + "host[:port]; over a Unix socket, send localhost", refused.getDescription());
            assertEquals(List.of(path), agent.refusedAuthorities());
            assertEquals(List.of(), agent.requests(), "refused before the request is read");

            Status served = fetchJwtSvid(overUnixSocket(path).overrideAuthority("localhost"), true);
            assertEquals(Status.Code.OK, served.getCode(), served.toString());
            assertEquals(1, agent.requests().size());
            assertEquals(1, agent.refusedAuthorities().size());
        }
        try (WorkloadApiEmulator lenient = WorkloadApiEmulator.builder(issuer).unixSocket(socket).anyAuthority().start()) {
            Status served = fetchJwtSvid(overUnixSocket(path), true);
            assertEquals(Status.Code.OK, served.getCode(), served.toString());
            assertEquals(List.of(), lenient.refusedAuthorities());
        }
    }

    @Test
    @DisplayName("the authority rule is RFC 3986's host[:port]: names, IPv4, bracketed IPv6, a port of digits")
    void authorityRule() {
        for (String valid : List.of("localhost", "localhost:8081", "127.0.0.1:8081", "[::1]", "[::1]:8081",
                "[::ffff:127.0.0.1]:80", "[1:2:3:4:5:6:7:8]", "[v7.a:b]", "spire-agent.example.org", "a_b~c",
                "%41gent", "localhost:")) {
            assertTrue(WorkloadApiWire.isValidAuthority(valid), valid);
        }
        for (String invalid : List.of("", "/run/spire/sockets/agent.sock", "unix:/run/agent.sock", "user@localhost",
                "localhost:80a", "[::1", "::1", "[1:2:3]", "[1::2::3]", "[::1]x", "agent sock", "%4", "[fe80::1%eth0]",
                "[1:2:3:4:5:6:7:8:9]", "[::256.0.0.1]")) {
            assertFalse(WorkloadApiWire.isValidAuthority(invalid), invalid);
        }
    }

    /** grpc-java's plain Unix-socket channel (Netty's epoll transport), with no authority of its own choosing. */
    private static NettyChannelBuilder overUnixSocket(String path) {
        return NettyChannelBuilder.forAddress(new DomainSocketAddress(path))
                .channelType(EpollDomainSocketChannel.class);
    }

    /** One {@code FetchJWTSVID} for the default audience, with or without the security header; its closing status. */
    private static Status fetchJwtSvid(NettyChannelBuilder builder, boolean securityHeader) throws Exception {
        MethodDescriptor.Marshaller<byte[]> bytes = new WorkloadApiWire.BytesMarshaller();
        MethodDescriptor<byte[], byte[]> method = MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName("SpiffeWorkloadAPI/FetchJWTSVID")
                .setRequestMarshaller(bytes).setResponseMarshaller(bytes).build();
        byte[] audience = OidcIssuer.DEFAULT_AUDIENCE.getBytes(StandardCharsets.UTF_8);
        byte[] request = new byte[audience.length + 2];
        request[0] = 0x0A; // field 1 (audience), length-delimited
        request[1] = (byte) audience.length;
        System.arraycopy(audience, 0, request, 2, audience.length);
        EventLoopGroup loop = new EpollEventLoopGroup(1);
        ManagedChannel channel = builder.eventLoopGroup(loop).usePlaintext().build();
        try {
            CompletableFuture<Status> closed = new CompletableFuture<>();
            ClientCall<byte[], byte[]> call = channel.newCall(method, CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS));
            Metadata headers = new Metadata();
            if (securityHeader) {
                headers.put(HEADER, "true");
            }
            call.start(new ClientCall.Listener<>() {
                @Override
                public void onClose(Status status, Metadata trailers) {
                    closed.complete(status);
                }
            }, headers);
            call.request(1);
            call.sendMessage(request);
            call.halfClose();
            return closed.get(10, TimeUnit.SECONDS);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        }
    }
}
