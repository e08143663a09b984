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

    /**
     * Whether an HTTP/2 {@code :authority} is an RFC 3986 {@code host [ ":" port ]}, as strict HTTP/2 servers (Rust's
     * h2, Node's nghttp2) require before they route a request: the host an IP literal in brackets, a dotted IPv4
     * address or a non-empty registered name (unreserved characters, sub-delims and percent-encodings), the port
     * digits. A Unix socket's path, which grpc-java sends by default, is none of these: its {@code /} belongs to no
     * host.
     *
     * @param authority the {@code :authority} as received
     * @return {@code true} if a strict server accepts it
     */
    public static boolean isValidAuthority(String authority) {
        if (authority == null || authority.isEmpty()) {
            return false;
        }
        String host = authority;
        int colon = authority.lastIndexOf(':');
        if (colon >= 0 && authority.indexOf(']', colon) < 0) { // a ':' inside brackets is the IPv6 literal's own
            String port = authority.substring(colon + 1);
            if (!port.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return false;
            }
            host = authority.substring(0, colon);
        }
        if (host.startsWith("[")) {
            return host.length() > 2 && host.endsWith("]") && isIpLiteral(host.substring(1, host.length() - 1));
        }
        if (host.isEmpty()) {
            return false;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c == '%') {
                if (i + 2 >= host.length() || !isHex(host.charAt(i + 1)) || !isHex(host.charAt(i + 2))) {
                    return false;
                }
                i += 2;
            } else if (!(isAlphaNumeric(c) || "-._~!$&'()*+,;=".indexOf(c) >= 0)) {
                return false;
            }
        }
        return true; // a dotted IPv4 address is a registered name too
    }

    /** RFC 3986's IPv6address, or IPvFuture ({@code v1.x}). */
    private static boolean isIpLiteral(String text) {
        if (text.length() > 1 && (text.charAt(0) == 'v' || text.charAt(0) == 'V')) {
            int dot = text.indexOf('.');
            return dot > 1 && dot < text.length() - 1 && text.substring(1, dot).chars().allMatch(c -> isHex((char) c))
                    && text.substring(dot + 1).chars().allMatch(c -> isAlphaNumeric((char) c)
                            || "-._~!$&'()*+,;=:".indexOf(c) >= 0);
        }
        int elision = text.indexOf("::");
        if (elision >= 0 && text.indexOf("::", elision + 1) >= 0) {
            return false;
        }
        List<String> groups = new ArrayList<>();
        if (elision >= 0) {
            groups.addAll(split(text.substring(0, elision)));
            groups.addAll(split(text.substring(elision + 2)));
        } else {
            groups.addAll(split(text));
        }
        int pieces = 0;
        for (int i = 0; i < groups.size(); i++) {
            String group = groups.get(i);
            if (i == groups.size() - 1 && group.contains(".")) {
                if (!isIpv4(group)) {
                    return false;
                }
                pieces += 2;
            } else if (group.isEmpty() || group.length() > 4 || !group.chars().allMatch(c -> isHex((char) c))) {
                return false;
            } else {
                pieces++;
            }
        }
        return elision >= 0 ? pieces <= 7 : pieces == 8;
    }

    private static List<String> split(String groups) {
        return groups.isEmpty() ? List.of() : List.of(groups.split(":", -1));
    }

    private static boolean isIpv4(String text) {
        String[] octets = text.split("\\.", -1);
        if (octets.length != 4) {
            return false;
        }
        for (String octet : octets) {
            if (octet.isEmpty() || octet.length() > 3 || !octet.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(octet) > 255 || (octet.length() > 1 && octet.charAt(0) == '0')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isAlphaNumeric(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
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
