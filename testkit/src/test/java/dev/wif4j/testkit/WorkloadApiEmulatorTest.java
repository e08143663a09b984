package dev.wif4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.wif4j.testkit.internal.WorkloadApiWire;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What {@link WorkloadApiEmulator} refuses, seen by a bare gRPC call that java-spiffe would never make. */
class WorkloadApiEmulatorTest {

    @AutoClose
    private final OidcIssuer issuer = OidcIssuer.start();

    @Test
    @DisplayName("the emulator refuses a call without the workload.spiffe.io header, as SPIRE's agent does")
    void refusesACallWithoutTheSecurityHeader() throws Exception {
        try (WorkloadApiEmulator agent = WorkloadApiEmulator.builder(issuer).tcp().start()) {
            Status status = fetchJwtSvidWithoutHeader(agent.address());
            assertEquals("INVALID_ARGUMENT: security header missing from request",
                    status.getCode() + ": " + status.getDescription());
            List<WorkloadApiEmulator.Request> requests = agent.requests();
            assertEquals(1, requests.size());
            assertFalse(requests.get(0).securityHeader());
        }
    }

    /** One {@code FetchJWTSVID} for the default audience, with no metadata at all; its closing status. */
    private static Status fetchJwtSvidWithoutHeader(String address) throws Exception {
        URI uri = URI.create(address);
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
        ManagedChannel channel = NettyChannelBuilder.forAddress(uri.getHost(), uri.getPort()).usePlaintext().build();
        try {
            CompletableFuture<Status> closed = new CompletableFuture<>();
            ClientCall<byte[], byte[]> call = channel.newCall(method, CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS));
            call.start(new ClientCall.Listener<>() {
                @Override
                public void onClose(Status status, Metadata trailers) {
                    closed.complete(status);
                }
            }, new Metadata());
            call.request(1);
            call.sendMessage(request);
            call.halfClose();
            return closed.get(10, TimeUnit.SECONDS);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
