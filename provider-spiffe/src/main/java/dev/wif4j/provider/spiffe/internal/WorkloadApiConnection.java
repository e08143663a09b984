package dev.wif4j.provider.spiffe.internal;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.WriteBufferWaterMark;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.spiffe.workloadapi.grpc.SpiffeWorkloadAPIGrpc;
import io.spiffe.workloadapi.grpc.Workload;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * One connection to the Workload API for one {@code FetchJWTSVID} call, built with grpc-java's public API rather than
 * java-spiffe's client, whose options cannot set what this needs:
 * <ul>
 *   <li>the {@code :authority} is {@code localhost} over a Unix socket (see {@link SpiffeSettings#authority()});</li>
 *   <li>the caller waits on a future with a timeout, never inside gRPC, and shuts the channel down hard
 *       ({@code shutdownNow}) at the deadline, so a peer that keeps the connection's event loop busy cannot hold
 *       the caller past it;</li>
 *   <li>the connection is dropped once {@value #MAX_UNREAD_BYTES} bytes this client wrote are still unread: grpc-java's
 *       client, unlike its server, puts no limit on queued HTTP/2 control frames, so a peer that sends endless
 *       SETTINGS (or PINGs) and never reads would make it queue an acknowledgement for each until the heap runs out.</li>
 * </ul>
 * Unix sockets use the JDK's own ({@link UnixDomainSocketAddress}, through Netty's NIO transport): no native library.
 * Each connection has one event-loop thread of its own, a daemon, stopped by {@link #close()}.
 */
final class WorkloadApiConnection implements AutoCloseable {
    /**
     * Bytes written and not yet read by the peer at which the connection is dropped. A Workload API call writes well
     * under 1 KiB; a megabyte is about the 10,000 queued control frames Netty's own HTTP/2 codec allows.
     */
    static final int MAX_UNREAD_BYTES = 1 << 20;
    /** The TCP send buffer: a Workload API call writes well under 1 KiB. */
    private static final int SEND_BUFFER = 64 * 1024;
    /** How long after the call's own deadline the caller stops waiting for gRPC to report it. */
    private static final long GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final Metadata.Key<String> SECURITY_HEADER =
            Metadata.Key.of("workload.spiffe.io", Metadata.ASCII_STRING_MARSHALLER);
    private static final ThreadFactory THREADS = new DefaultThreadFactory("wif4j-spiffe", true);

    private final EventLoopGroup loop;
    private final ManagedChannel channel;
    private final AtomicBoolean flooded = new AtomicBoolean();

    /**
     * Prepares the channel; it connects on the first call.
     *
     * @param settings the address and authority
     */
    WorkloadApiConnection(SpiffeSettings settings) {
        loop = new NioEventLoopGroup(1, THREADS);
        try {
            Optional<Path> socket = settings.socketPath();
            NettyChannelBuilder builder;
            if (socket.isPresent()) {
                builder = NettyChannelBuilder.forAddress(UnixDomainSocketAddress.of(socket.get()))
                        .channelFactory(() -> guarded(NioDomainSocketChannel::new), UnixDomainSocketAddress.class)
                        // gRPC asks for TCP keep-alive, which a Unix socket has not (Netty would warn of it).
                        .withOption(ChannelOption.SO_KEEPALIVE, null);
            } else {
                builder = NettyChannelBuilder.forAddress(settings.tcpAddress().orElseThrow())
                        .channelFactory(() -> guarded(NioSocketChannel::new), InetSocketAddress.class)
                        // A fixed send buffer (Linux would grow it to 4 MiB) keeps what a peer that never reads can
                        // make the kernel hold small, so the limit below is reached soon.
                        .withOption(ChannelOption.SO_SNDBUF, SEND_BUFFER);
            }
            channel = builder.eventLoopGroup(loop)
                    .overrideAuthority(settings.authority())
                    .usePlaintext()
                    .directExecutor() // the listener only completes a future
                    .disableRetry() // one call is one attempt: wif4j's exchange owns retries
                    .withOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                            new WriteBufferWaterMark(MAX_UNREAD_BYTES / 2, MAX_UNREAD_BYTES))
                    .build();
        } catch (RuntimeException | Error e) {
            loop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    private Channel guarded(Supplier<Channel> newChannel) {
        Channel c = newChannel.get();
        c.pipeline().addLast(new FloodGuard(flooded)); // before gRPC's own handler, which Netty adds after this
        return c;
    }

    /**
     * One {@code FetchJWTSVID} call with the security header, bounded by {@code timeout}.
     *
     * @param request the request
     * @param timeout the call's deadline; the caller is back shortly after it whatever the peer does
     * @return the answer
     * @throws StatusRuntimeException the call's status when it is not OK (a dropped connection is {@code UNAVAILABLE})
     * @throws TimeoutException when gRPC did not end the call by the deadline (the call is cancelled)
     * @throws InterruptedException when interrupted while waiting (the call is cancelled)
     */
    Workload.JWTSVIDResponse fetchJwtSvid(Workload.JWTSVIDRequest request, Duration timeout)
            throws TimeoutException, InterruptedException {
        CompletableFuture<Workload.JWTSVIDResponse> answer = new CompletableFuture<>();
        ClientCall<Workload.JWTSVIDRequest, Workload.JWTSVIDResponse> call = channel.newCall(
                SpiffeWorkloadAPIGrpc.getFetchJWTSVIDMethod(),
                CallOptions.DEFAULT.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS));
        Metadata headers = new Metadata();
        headers.put(SECURITY_HEADER, "true");
        call.start(new ClientCall.Listener<>() {
            private Workload.JWTSVIDResponse first;

            @Override
            public void onMessage(Workload.JWTSVIDResponse message) {
                if (first == null) {
                    first = message;
                }
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                if (!status.isOk()) {
                    answer.completeExceptionally(status.asRuntimeException(trailers));
                } else if (first == null) {
                    answer.completeExceptionally(Status.INTERNAL.withDescription("the call ended without an answer")
                            .asRuntimeException());
                } else {
                    answer.complete(first);
                }
            }
        }, headers);
        call.request(2); // a second answer, which a unary call must not have, is read and ignored rather than left
        call.sendMessage(request);
        call.halfClose();
        try {
            return answer.get(timeout.toNanos() + GRACE_NANOS, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw (StatusRuntimeException) e.getCause();
        } catch (TimeoutException | InterruptedException e) {
            call.cancel("wif4j stopped waiting", null);
            throw e;
        }
    }

    /** @return whether the connection was dropped because the peer left too much unread */
    boolean flooded() {
        return flooded.get();
    }

    /** Shuts the channel down hard and stops its event loop; waits a moment for the thread to end. */
    @Override
    public void close() {
        channel.shutdownNow();
        loop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
        try {
            loop.awaitTermination(1, TimeUnit.SECONDS); // a thread still busy then is a daemon and ends soon after
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Drops the connection when Netty reports it unwritable, that is when more than {@link #MAX_UNREAD_BYTES} that
     * this client wrote wait for the peer to read them.
     */
    private static final class FloodGuard extends ChannelInboundHandlerAdapter {
        private final AtomicBoolean flooded;

        FloodGuard(AtomicBoolean flooded) {
            this.flooded = flooded;
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (!ctx.channel().isWritable()) {
                flooded.set(true);
                ctx.close();
            }
            ctx.fireChannelWritabilityChanged();
        }
    }
}
