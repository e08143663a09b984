package dev.wif4j.testkit;

import dev.wif4j.testkit.internal.WorkloadApiWire;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A SPIFFE Workload API (what a SPIRE agent serves) answering {@code FetchJWTSVID}, over a Unix domain socket or
 * loopback TCP. Each call mints new JWT-SVIDs with an {@link OidcIssuer}, so the issuer's JWKS verifies them and
 * {@link AnthropicEmulator} accepts them with {@link FederationIssuer#of(OidcIssuer)}.
 *
 * <pre>{@code
 * try (OidcIssuer issuer = OidcIssuer.start();
 *      WorkloadApiEmulator agent = WorkloadApiEmulator.builder(issuer).unixSocket(dir.resolve("agent.sock")).start()) {
 *     // SPIFFE_ENDPOINT_SOCKET=agent.address()
 * }
 * }</pre>
 *
 * <p>Like SPIRE's agent, it refuses a call without the metadata {@code workload.spiffe.io: true}
 * ({@code INVALID_ARGUMENT}), a request without an audience ({@code INVALID_ARGUMENT}), and a SPIFFE ID the
 * workload is not entitled to ({@code PERMISSION_DENIED}); without a requested SPIFFE ID it returns one JWT-SVID per
 * identity, in the order they were added. The other Workload API methods answer {@code UNIMPLEMENTED}.
 *
 * <p>Like a Workload API served by a strict HTTP/2 stack (Rust's h2 and tonic, Node's {@code @grpc/grpc-js}), it
 * refuses a call whose {@code :authority} is not an RFC 3986 {@code host[:port]}, such as the socket path that
 * grpc-java sends over a Unix socket unless told otherwise: such a server resets the stream with
 * {@code PROTOCOL_ERROR}, which a gRPC client sees as {@code INTERNAL}; the emulator ends the call with
 * {@code INTERNAL} and says so, before the request is read (it is not among {@link #requests()}, but among
 * {@link #refusedAuthorities()}). {@link Builder#anyAuthority()} accepts any, as grpc-go's server (SPIRE's agent)
 * does.
 *
 * <p>gRPC is an optional dependency of the testkit: a test that uses this class adds {@code io.grpc:grpc-api} and
 * {@code io.grpc:grpc-netty-shaded} (a provider built on java-spiffe has both already). The Unix socket needs Linux
 * (Netty's epoll transport). Thread-safe.
 */
public final class WorkloadApiEmulator implements AutoCloseable {

    /** The SPIFFE ID the emulator issues for when no identity is added. */
    public static final String DEFAULT_SPIFFE_ID = "spiffe://example.org/ns/prod/sa/billing";

    /** The gRPC metadata key every Workload API call must carry, with the value {@code true}. */
    public static final String SECURITY_HEADER = "workload.spiffe.io";

    private static final Metadata.Key<String> HEADER = Metadata.Key.of(SECURITY_HEADER, Metadata.ASCII_STRING_MARSHALLER);
    private static final String SERVICE = "SpiffeWorkloadAPI";

    /**
     * One {@code FetchJWTSVID} call as the emulator saw it.
     *
     * @param audience the requested audiences
     * @param spiffeId the requested SPIFFE ID; empty for "every identity"
     * @param securityHeader whether the call carried {@code workload.spiffe.io: true}
     */
    public record Request(List<String> audience, String spiffeId, boolean securityHeader) {
        /**
         * Copies the audiences.
         *
         * @param audience the requested audiences; copied
         * @param spiffeId the requested SPIFFE ID; empty for "every identity"
         * @param securityHeader whether the call carried {@code workload.spiffe.io: true}
         */
        public Request {
            audience = List.copyOf(audience);
        }
    }

    private final OidcIssuer issuer;
    private final List<String> identities;
    private final Duration lifetime;
    private final Path socket;
    private final EventLoopGroup eventLoop;
    private final Server server;
    private final String address;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<String> refusedAuthorities = new CopyOnWriteArrayList<>();
    private final boolean anyAuthority;
    private volatile Status failure;
    private volatile boolean silent;

    private WorkloadApiEmulator(Builder b) {
        this.issuer = b.issuer;
        this.identities = b.identities.isEmpty() ? List.of(DEFAULT_SPIFFE_ID) : List.copyOf(b.identities);
        this.lifetime = b.lifetime;
        this.socket = b.socket;
        this.anyAuthority = b.anyAuthority;
        MethodDescriptor.Marshaller<byte[]> bytes = new WorkloadApiWire.BytesMarshaller();
        ServerServiceDefinition.Builder service = ServerServiceDefinition.builder(SERVICE)
                .addMethod(unary("FetchJWTSVID", bytes), this::fetchJwtSvid);
        for (String other : List.of("FetchX509SVID", "FetchX509Bundles", "FetchJWTBundles")) {
            service.addMethod(MethodDescriptor.<byte[], byte[]>newBuilder()
                    .setType(MethodDescriptor.MethodType.SERVER_STREAMING)
                    .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, other))
                    .setRequestMarshaller(bytes).setResponseMarshaller(bytes).build(), WorkloadApiEmulator::unimplemented);
        }
        service.addMethod(unary("ValidateJWTSVID", bytes), WorkloadApiEmulator::unimplemented);
        NettyServerBuilder builder;
        if (socket != null) {
            try {
                Files.createDirectories(socket.toAbsolutePath().getParent());
                Files.deleteIfExists(socket);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare the socket " + socket, e);
            }
            eventLoop = new EpollEventLoopGroup(1);
            builder = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toAbsolutePath().toString()))
                    .channelType(EpollServerDomainSocketChannel.class)
                    .bossEventLoopGroup(eventLoop)
                    .workerEventLoopGroup(eventLoop)
                    // gRPC asks every accepted connection for TCP keep-alive, which a Unix socket has not.
                    .withChildOption(ChannelOption.SO_KEEPALIVE, null);
        } else {
            eventLoop = null;
            builder = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        }
        try {
            server = builder.directExecutor().addService(ServerInterceptors.intercept(service.build(), authorityRule()))
                    .build().start();
        } catch (IOException e) {
            shutdownEventLoop();
            throw new UncheckedIOException("cannot start the Workload API emulator", e);
        }
        address = socket != null ? "unix://" + socket.toAbsolutePath()
                : "tcp://127.0.0.1:" + ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
    }

    /**
     * @param issuer the issuer that signs the JWT-SVIDs (its URL is their {@code iss})
     * @return a builder; choose {@link Builder#unixSocket(Path)} or {@link Builder#tcp()}
     */
    public static Builder builder(OidcIssuer issuer) {
        return new Builder(issuer);
    }

    /** @return the value for {@code SPIFFE_ENDPOINT_SOCKET}: {@code unix:///...} or {@code tcp://127.0.0.1:PORT} */
    public String address() {
        return address;
    }

    /** @return the Unix socket's path; empty over TCP */
    public Optional<Path> socket() {
        return Optional.ofNullable(socket);
    }

    /** @return the SPIFFE IDs the workload is entitled to, in the order returned */
    public List<String> identities() {
        return identities;
    }

    /** @return every {@code FetchJWTSVID} call so far, refused ones included */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /**
     * @return the {@code :authority} of every call refused because it is not an RFC 3986 {@code host[:port]}, in
     *     order
     */
    public List<String> refusedAuthorities() {
        return List.copyOf(refusedAuthorities);
    }

    /**
     * Answers every later call with a gRPC status, e.g. {@code UNAVAILABLE} as an agent that lost its server does.
     *
     * @param code a canonical gRPC status code name such as {@code UNAVAILABLE} or {@code PERMISSION_DENIED}
     */
    public void failEveryRequest(String code) {
        failure = Status.fromCode(Status.Code.valueOf(code.toUpperCase(Locale.ROOT)))
                .withDescription("emulated failure (" + code + ")");
    }

    /** Records every later call and never answers it, as a hung agent; the caller's deadline ends it. */
    public void neverAnswer() {
        silent = true;
    }

    /** Answers normally again. */
    public void recover() {
        failure = null;
        silent = false;
    }

    /** Stops the server and removes the socket. */
    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        shutdownEventLoop();
        if (socket != null) {
            try {
                Files.deleteIfExists(socket);
            } catch (IOException e) {
                // The temporary directory's owner cleans up.
            }
        }
    }

    @Override
    public String toString() {
        return "WorkloadApiEmulator[" + address + ", " + identities + "]";
    }

    /** Refuses a call whose {@code :authority} a strict HTTP/2 server would reset the stream for. */
    private ServerInterceptor authorityRule() {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                    ServerCallHandler<Q, R> next) {
                String authority = call.getAuthority();
                // RFC 9113 lets a request go without :authority; one that is there must be well-formed.
                if (anyAuthority || authority == null || WorkloadApiWire.isValidAuthority(authority)) {
                    return next.startCall(call, headers);
                }
                refusedAuthorities.add(authority);
                call.close(Status.INTERNAL.withDescription("RST_STREAM PROTOCOL_ERROR (emulated): the :authority '"
                        + authority + "' is not an RFC 3986 host[:port]; over a Unix socket, send localhost"),
                        new Metadata());
                return new ServerCall.Listener<>() { };
            }
        };
    }

    private static MethodDescriptor<byte[], byte[]> unary(String method, MethodDescriptor.Marshaller<byte[]> bytes) {
        return MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, method))
                .setRequestMarshaller(bytes).setResponseMarshaller(bytes).build();
    }

    private static ServerCall.Listener<byte[]> unimplemented(ServerCall<byte[], byte[]> call, Metadata headers) {
        call.close(Status.UNIMPLEMENTED.withDescription("the emulator serves FetchJWTSVID only"), new Metadata());
        return new ServerCall.Listener<>() { };
    }

    private ServerCall.Listener<byte[]> fetchJwtSvid(ServerCall<byte[], byte[]> call, Metadata headers) {
        boolean header = "true".equals(headers.get(HEADER));
        call.request(1);
        return new ServerCall.Listener<>() {
            private byte[] message;

            @Override
            public void onMessage(byte[] m) {
                message = m;
            }

            @Override
            public void onHalfClose() {
                answer(call, header, message == null ? new byte[0] : message);
            }
        };
    }

    private void answer(ServerCall<byte[], byte[]> call, boolean header, byte[] message) {
        WorkloadApiWire.JwtSvidRequest request;
        try {
            request = WorkloadApiWire.parseRequest(message);
        } catch (IllegalArgumentException e) {
            call.close(Status.INTERNAL.withDescription("malformed JWTSVIDRequest: " + e.getMessage()), new Metadata());
            return;
        }
        requests.add(new Request(request.audience(), request.spiffeId(), header));
        if (silent) {
            return; // The call stays open until the client gives up or the server stops.
        }
        Status status = failure;
        if (status == null && !header) {
            status = Status.INVALID_ARGUMENT.withDescription("security header missing from request");
        }
        if (status == null && request.audience().isEmpty()) {
            status = Status.INVALID_ARGUMENT.withDescription("audience must be specified");
        }
        List<String> ids = identities;
        if (status == null && !request.spiffeId().isEmpty()) {
            ids = identities.contains(request.spiffeId()) ? List.of(request.spiffeId()) : List.of();
            if (ids.isEmpty()) {
                status = Status.PERMISSION_DENIED.withDescription("no identity issued");
            }
        }
        if (status != null) {
            call.close(status, new Metadata());
            return;
        }
        List<WorkloadApiWire.JwtSvid> svids = new ArrayList<>();
        for (String id : ids) {
            String jwt = issuer.mint().subject(id).audience(request.audience().toArray(String[]::new))
                    .without("nbf").lifetime(lifetime).sign();
            svids.add(new WorkloadApiWire.JwtSvid(id, jwt, ""));
        }
        call.sendHeaders(new Metadata());
        call.sendMessage(WorkloadApiWire.encodeResponse(svids));
        call.close(Status.OK, new Metadata());
    }

    private void shutdownEventLoop() {
        if (eventLoop != null) {
            eventLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    /** Configures a {@link WorkloadApiEmulator}. */
    public static final class Builder {
        private final OidcIssuer issuer;
        private final List<String> identities = new ArrayList<>();
        private Duration lifetime = Duration.ofMinutes(5);
        private Path socket;
        private boolean tcp;
        private boolean anyAuthority;

        private Builder(OidcIssuer issuer) {
            this.issuer = Objects.requireNonNull(issuer, "issuer");
        }

        /**
         * Serves on a Unix domain socket (Linux). Keep the path short: the kernel allows about 100 bytes.
         *
         * @param path where to create the socket; its directory is created, an old socket there replaced
         * @return this builder
         */
        public Builder unixSocket(Path path) {
            this.socket = Objects.requireNonNull(path, "path");
            this.tcp = false;
            return this;
        }

        /** @return this builder, serving on 127.0.0.1 at a free port */
        public Builder tcp() {
            this.tcp = true;
            this.socket = null;
            return this;
        }

        /**
         * Adds an identity the workload is entitled to; without any, {@value #DEFAULT_SPIFFE_ID}.
         *
         * @param spiffeId a SPIFFE ID, such as {@code spiffe://example.org/ns/prod/sa/billing}
         * @return this builder
         */
        public Builder identity(String spiffeId) {
            if (!Objects.requireNonNull(spiffeId, "spiffeId").startsWith("spiffe://")) {
                throw new IllegalArgumentException("a SPIFFE ID starts with spiffe://");
            }
            identities.add(spiffeId);
            return this;
        }

        /**
         * @param lifetime how long minted JWT-SVIDs are valid; five minutes (SPIRE's default) unless set
         * @return this builder
         */
        public Builder lifetime(Duration lifetime) {
            this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
            return this;
        }

        /**
         * Accepts any {@code :authority}, a Unix socket's path included, as a Workload API on grpc-go (SPIRE's agent)
         * does; by default the emulator is as strict as h2 or nghttp2 (see {@link WorkloadApiEmulator}).
         *
         * @return this builder
         */
        public Builder anyAuthority() {
            this.anyAuthority = true;
            return this;
        }

        /** @return the running emulator; close it when done */
        public WorkloadApiEmulator start() {
            if (socket == null && !tcp) {
                throw new IllegalStateException("choose unixSocket(path) or tcp()");
            }
            return new WorkloadApiEmulator(this);
        }
    }
}
