package dev.wif4j.provider.spiffe;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** A bare {@code FetchJWTSVID} call, without java-spiffe and its security header, to see what the emulator does. */
final class RawCall {
    private RawCall() {
    }

    /**
     * @param address a {@code tcp://127.0.0.1:PORT} Workload API
     * @return the call's status as {@code CODE: description}, or {@code OK}
     */
    static String fetchJwtSvidWithoutHeader(String address) throws InterruptedException {
        URI uri = URI.create(address);
        MethodDescriptor.Marshaller<byte[]> bytes = new MethodDescriptor.Marshaller<>() {
            @Override
            public InputStream stream(byte[] value) {
                return new ByteArrayInputStream(value);
            }

            @Override
            public byte[] parse(InputStream stream) {
                try {
                    return stream.readAllBytes();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        MethodDescriptor<byte[], byte[]> method = MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName("SpiffeWorkloadAPI/FetchJWTSVID")
                .setRequestMarshaller(bytes).setResponseMarshaller(bytes).build();
        byte[] audience = "https://api.anthropic.com".getBytes(StandardCharsets.UTF_8);
        byte[] request = new byte[audience.length + 2];
        request[0] = 0x0A; // field 1 (audience), length-delimited
        request[1] = (byte) audience.length;
        System.arraycopy(audience, 0, request, 2, audience.length);
        ManagedChannel channel = NettyChannelBuilder.forAddress(uri.getHost(), uri.getPort()).usePlaintext().build();
        try {
            ClientCalls.blockingUnaryCall(channel, method, CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS),
                    request);
            return "OK";
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode() + ": " + e.getStatus().getDescription();
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
