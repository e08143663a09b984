package dev.wif4j.testkit.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks AWS Signature Version 4 on a request the way an AWS service does: parses the
 * {@code Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...} header,
 * rebuilds the canonical request from the signed headers and the body, and compares the signature
 * computed with the secret key. Only what an emulator needs: a POST or GET without query
 * canonicalisation beyond sorting.
 */
public final class SigV4 {

    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final HexFormat HEX = HexFormat.of();

    private SigV4() {
    }

    /**
     * The parts of an {@code Authorization} header.
     *
     * @param accessKeyId the access key id of the credential scope
     * @param date the scope's date, {@code yyyyMMdd}
     * @param region the scope's region
     * @param service the scope's service
     * @param signedHeaders the signed header names, lower case, in order
     * @param signature the hex signature
     */
    public record Authorization(String accessKeyId, String date, String region, String service,
            List<String> signedHeaders, String signature) {
    }

    /**
     * Parses an {@code Authorization} header.
     *
     * @param header the header's value, or {@code null}
     * @return the parts
     * @throws IllegalArgumentException with what is wrong, in the words of AWS's error messages
     */
    public static Authorization parse(String header) {
        if (header == null || header.isBlank()) {
            throw new IllegalArgumentException("Request is missing Authentication Token");
        }
        if (!header.startsWith(ALGORITHM + " ")) {
            throw new IllegalArgumentException("Unsupported authorization type (expected " + ALGORITHM + ")");
        }
        Map<String, String> parts = new LinkedHashMap<>();
        for (String part : header.substring(ALGORITHM.length() + 1).split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                parts.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
            }
        }
        String credential = parts.get("Credential");
        String signed = parts.get("SignedHeaders");
        String signature = parts.get("Signature");
        if (credential == null || signed == null || signature == null) {
            throw new IllegalArgumentException("Authorization header requires 'Credential', 'SignedHeaders' and "
                    + "'Signature' parameters");
        }
        String[] scope = credential.split("/");
        if (scope.length != 5 || !"aws4_request".equals(scope[4])) {
            throw new IllegalArgumentException("Credential should be scoped to a valid region, not '" + credential + "'");
        }
        return new Authorization(scope[0], scope[1], scope[2], scope[3], List.of(signed.split(";")), signature);
    }

    /**
     * Whether the request's signature is the one the secret key gives.
     *
     * @param auth the parsed {@code Authorization} header
     * @param secretAccessKey the secret key that belongs to {@code auth.accessKeyId()}
     * @param method the HTTP method
     * @param path the raw path, e.g. {@code /}
     * @param rawQuery the raw query, or {@code null}
     * @param headers the request headers (any name case); only the signed ones are used
     * @param body the body
     * @return {@code true} when the signature matches
     */
    public static boolean verify(Authorization auth, String secretAccessKey, String method, String path,
            String rawQuery, Map<String, List<String>> headers, byte[] body) {
        Map<String, List<String>> lower = new TreeMap<>();
        headers.forEach((k, v) -> lower.computeIfAbsent(k.toLowerCase(Locale.ROOT), x -> new ArrayList<>()).addAll(v));
        StringBuilder canonicalHeaders = new StringBuilder();
        for (String name : auth.signedHeaders()) {
            List<String> values = lower.getOrDefault(name, List.of());
            List<String> trimmed = values.stream().map(v -> v.strip().replaceAll("\\s+", " ")).toList();
            canonicalHeaders.append(name).append(':').append(String.join(",", trimmed)).append('\n');
        }
        String amzDate = first(lower, "x-amz-date");
        String payloadHash = first(lower, "x-amz-content-sha256");
        if (payloadHash == null || payloadHash.isEmpty()) {
            payloadHash = HEX.formatHex(sha256(body));
        }
        String canonicalRequest = method + "\n"
                + (path == null || path.isEmpty() ? "/" : path) + "\n"
                + canonicalQuery(rawQuery) + "\n"
                + canonicalHeaders + "\n"
                + String.join(";", auth.signedHeaders()) + "\n"
                + payloadHash;
        String scope = auth.date() + "/" + auth.region() + "/" + auth.service() + "/aws4_request";
        String stringToSign = ALGORITHM + "\n" + amzDate + "\n" + scope + "\n"
                + HEX.formatHex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8), auth.date());
        key = hmac(key, auth.region());
        key = hmac(key, auth.service());
        key = hmac(key, "aws4_request");
        String expected = HEX.formatHex(hmac(key, stringToSign));
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                auth.signature().getBytes(StandardCharsets.US_ASCII));
    }

    private static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String> pairs = new ArrayList<>(List.of(rawQuery.split("&")));
        pairs.replaceAll(p -> p.contains("=") ? p : p + "=");
        pairs.sort(null);
        return String.join("&", pairs);
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0).strip();
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
