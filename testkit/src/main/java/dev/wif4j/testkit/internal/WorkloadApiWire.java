package dev.wif4j.testkit.internal;

import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The protobuf wire form of the two Workload API messages the emulator needs, written out by hand from
 * {@code workload.proto} so that the testkit needs neither protobuf-java nor the client library's generated
 * classes, and so checks the client against an independent reading of the protocol:
 * <pre>
 * message JWTSVIDRequest  { repeated string audience = 1; string spiffe_id = 2; }
 * message JWTSVIDResponse { repeated JWTSVID svids = 1; }
 * message JWTSVID         { string spiffe_id = 1; string svid = 2; string hint = 3; }
 * </pre>
 */
public final class WorkloadApiWire {
    private static final int LENGTH_DELIMITED = 2;
    /** A request is a few audiences; a megabyte is not one. */
    private static final int MAX_MESSAGE = 1 << 20;

    private WorkloadApiWire() {
    }

    /**
     * A decoded {@code JWTSVIDRequest}.
     *
     * @param audience the audiences
     * @param spiffeId the requested SPIFFE ID, or empty
     */
    public record JwtSvidRequest(List<String> audience, String spiffeId) {
    }

    /**
     * One {@code JWTSVID} of a response.
     *
     * @param spiffeId its SPIFFE ID
     * @param svid the compact JWT
     * @param hint the operator's hint, or empty
     */
    public record JwtSvid(String spiffeId, String svid, String hint) {
        @Override
        public String toString() {
            return "JwtSvid[" + spiffeId + "]";
        }
    }

    /**
     * @param message a serialized {@code JWTSVIDRequest}
     * @return its fields; unknown fields are skipped, as protobuf does
     * @throws IllegalArgumentException if it is not well-formed protobuf
     */
    public static JwtSvidRequest parseRequest(byte[] message) {
        List<String> audience = new ArrayList<>();
        String spiffeId = "";
        int[] pos = {0};
        while (pos[0] < message.length) {
            long tag = varint(message, pos);
            int field = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            if (wire == LENGTH_DELIMITED) {
                int length = (int) varint(message, pos);
                if (length < 0 || length > message.length - pos[0]) {
                    throw new IllegalArgumentException("a length past the end of the message");
                }
                String text = new String(message, pos[0], length, StandardCharsets.UTF_8);
                pos[0] += length;
                if (field == 1) {
                    audience.add(text);
                } else if (field == 2) {
                    spiffeId = text;
                }
            } else if (wire == 0) {
                varint(message, pos);
            } else if (wire == 1 || wire == 5) {
                pos[0] += wire == 1 ? 8 : 4;
                if (pos[0] > message.length) {
                    throw new IllegalArgumentException("a fixed-width field past the end of the message");
                }
            } else {
                throw new IllegalArgumentException("unsupported wire type " + wire);
            }
        }
        return new JwtSvidRequest(audience, spiffeId);
    }

    /**
     * @param svids the JWT-SVIDs
     * @return a serialized {@code JWTSVIDResponse}
     */
    public static byte[] encodeResponse(List<JwtSvid> svids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (JwtSvid svid : svids) {
            ByteArrayOutputStream one = new ByteArrayOutputStream();
            string(one, 1, svid.spiffeId());
            string(one, 2, svid.svid());
            string(one, 3, svid.hint());
            bytes(out, 1, one.toByteArray());
        }
        return out.toByteArray();
    }

    private static void string(ByteArrayOutputStream out, int field, String value) {
        if (!value.isEmpty()) { // proto3 leaves default values off the wire
            bytes(out, field, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void bytes(ByteArrayOutputStream out, int field, byte[] value) {
        writeVarint(out, ((long) field << 3) | LENGTH_DELIMITED);
        writeVarint(out, value.length);
        out.writeBytes(value);
    }

    private static void writeVarint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }

    private static long varint(byte[] message, int[] pos) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos[0] >= message.length) {
                throw new IllegalArgumentException("a truncated varint");
            }
            byte b = message[pos[0]++];
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("a varint longer than 10 bytes");
    }

    /** Messages as raw bytes; {@link WorkloadApiWire} decodes them. */
    public static final class BytesMarshaller implements MethodDescriptor.Marshaller<byte[]> {
        /** Creates the marshaller. */
        public BytesMarshaller() {
        }

        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                byte[] message = stream.readNBytes(MAX_MESSAGE + 1);
                if (message.length > MAX_MESSAGE) {
                    throw new IllegalArgumentException("a message over " + MAX_MESSAGE + " bytes");
                }
                return message;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
