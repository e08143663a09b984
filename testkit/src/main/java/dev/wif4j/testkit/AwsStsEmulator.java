package dev.wif4j.testkit;

import com.sun.net.httpserver.HttpExchange;
import dev.wif4j.testkit.internal.Exchanges;
import dev.wif4j.testkit.internal.LoopbackServer;
import dev.wif4j.testkit.internal.RequestLog;
import dev.wif4j.testkit.internal.SigV4;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * AWS STS on 127.0.0.1, answering {@code GetWebIdentityToken} (IAM outbound identity federation) in the
 * wire protocol the AWS SDK for Java v2 speaks to STS: the AWS Query protocol, a form POST
 * ({@code Action=GetWebIdentityToken&Version=2011-06-15&Audience.member.1=...&SigningAlgorithm=RS256
 * &DurationSeconds=300&Tags.member.1.Key=...&Tags.member.1.Value=...}) answered with XML.
 *
 * <p>Like STS it checks the SigV4 signature: an {@code Authorization: AWS4-HMAC-SHA256 Credential=<key>/
 * <date>/<region>/sts/aws4_request, SignedHeaders=..., Signature=...} header whose access key is the
 * emulator's, whose scope names its region and service {@code sts}, and whose signature is the one the
 * secret key gives (the signature itself is verified). It validates the parameters as STS does
 * ({@code Audience} 1–10 members, {@code SigningAlgorithm} {@code RS256} or {@code ES384},
 * {@code DurationSeconds} 60–3600) and mints, with an embedded {@link OidcIssuer} per algorithm, a
 * token with the documented claims: {@code sub} the role ARN, {@code aud} the audiences, and the claim
 * object {@code https://sts.amazonaws.com/} with {@code aws_account}, {@code source_region},
 * {@code org_id}, {@code principal_id} and {@code request_tags}; it lives the requested duration. The
 * real issuer is {@code https://<uuid>.tokens.sts.global.api.aws}, unreachable on loopback, so
 * {@code iss} is the embedded issuer's URL; register {@link #issuer()} with
 * {@link AnthropicEmulator#addIssuer}.
 *
 * <p>The documented errors are knobs: {@link #outboundFederationEnabled(boolean)}
 * ({@code OutboundWebIdentityFederationDisabledException}), {@link #allowGetWebIdentityToken(boolean)}
 * ({@code AccessDenied}), {@link Builder#sessionExpiresIn(Duration)} ({@code
 * SessionDurationEscalationException}), and {@link #enqueue(Fault)} with {@link #throttling()} or
 * {@link #error(int, String, String)} for anything else, in the Query protocol's
 * {@code <ErrorResponse>} format.
 *
 * <pre>{@code
 * try (AwsStsEmulator sts = AwsStsEmulator.start()) {
 *     FakeDetectionContext lambda = FakeDetectionContext.builder().env(sts.lambdaEnvironment()).build();
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class AwsStsEmulator extends LoopbackEmulator {

    /** The role the caller's credentials belong to unless the builder says otherwise. */
    public static final String DEFAULT_ROLE_ARN = "arn:aws:iam::123456789012:role/claude-workload";

    private static final String NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";
    /** The claim object STS nests its AWS-specific claims under. */
    public static final String AWS_CLAIMS = "https://sts.amazonaws.com/";

    private final OidcIssuer rs256;
    private final OidcIssuer es384;
    private final Clock clock;
    private final String roleArn;
    private final String region;
    private final String orgId;
    private final String accessKeyId;
    private final String secretAccessKey;
    private final String sessionToken;
    private final Instant sessionExpiry;
    private volatile boolean federationEnabled = true;
    private volatile boolean allowed = true;
    private final List<Map<String, String>> tokenRequests = new CopyOnWriteArrayList<>();

    private AwsStsEmulator(Builder b) {
        super("aws-sts-emulator");
        this.clock = b.clock;
        this.roleArn = b.roleArn;
        this.region = b.region;
        this.orgId = b.orgId;
        this.accessKeyId = b.accessKeyId;
        this.secretAccessKey = b.secretAccessKey;
        this.sessionToken = b.sessionToken;
        this.sessionExpiry = b.sessionExpiresIn == null ? null : b.clock.instant().plus(b.sessionExpiresIn);
        this.rs256 = own(OidcIssuer.builder().clock(b.clock).algorithm("RS256").start());
        this.es384 = own(OidcIssuer.builder().clock(b.clock).algorithm("ES384").start());
        route("/", this::handle);
        serve();
    }

    /**
     * Starts an emulator for the role {@value #DEFAULT_ROLE_ARN} in {@code us-east-1}.
     *
     * @return the running emulator; close it when done
     */
    public static AwsStsEmulator start() {
        return builder().start();
    }

    /** @return a builder for another role, region, organisation, credentials or clock */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the STS endpoint, {@code http://127.0.0.1:<port>}, for {@code AWS_ENDPOINT_URL_STS} */
    public String endpoint() {
        return baseUrl();
    }

    /** @return the issuer of RS256 tokens (the default algorithm); register it with {@link AnthropicEmulator#addIssuer} */
    public OidcIssuer issuer() {
        return rs256;
    }

    /**
     * @param algorithm {@code RS256} or {@code ES384}
     * @return the issuer that signs tokens asked for with that algorithm
     */
    public OidcIssuer issuer(String algorithm) {
        return switch (algorithm) {
            case "RS256" -> rs256;
            case "ES384" -> es384;
            default -> throw new IllegalArgumentException("STS signs with RS256 or ES384, not " + algorithm);
        };
    }

    /** @return the role ARN, the {@code sub} of every token */
    public String roleArn() {
        return roleArn;
    }

    /** @return the account id taken from the role ARN */
    public String accountId() {
        return roleArn.split(":")[4];
    }

    /** @return the region requests must be signed for */
    public String region() {
        return region;
    }

    /** @return the access key id the emulator accepts */
    public String accessKeyId() {
        return accessKeyId;
    }

    /** @return the secret key that signs requests (test data: never log it from production code) */
    public String secretAccessKey() {
        return secretAccessKey;
    }

    /**
     * The variables that give the AWS SDK this emulator's credentials, region and endpoint:
     * {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} (and {@code AWS_SESSION_TOKEN} when the
     * builder set one), {@code AWS_REGION}, {@code AWS_ENDPOINT_URL_STS}.
     *
     * @return the variables, in a new map
     */
    public Map<String, String> credentialsEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_ACCESS_KEY_ID", accessKeyId);
        env.put("AWS_SECRET_ACCESS_KEY", secretAccessKey);
        if (sessionToken != null) {
            env.put("AWS_SESSION_TOKEN", sessionToken);
        }
        env.put("AWS_REGION", region);
        env.put("AWS_ENDPOINT_URL_STS", endpoint());
        return env;
    }

    /** @return {@link #credentialsEnvironment()} */
    @Override
    public Map<String, String> environment() {
        return credentialsEnvironment();
    }

    /**
     * What a Lambda function's environment holds: {@link #credentialsEnvironment()} (Lambda sets the
     * execution role's keys and session token as variables) plus {@code AWS_EXECUTION_ENV},
     * {@code AWS_LAMBDA_FUNCTION_NAME} and {@code AWS_DEFAULT_REGION}.
     *
     * @return the variables, in a new map
     */
    public Map<String, String> lambdaEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java17");
        env.put("AWS_LAMBDA_FUNCTION_NAME", "claude-worker");
        env.put("AWS_DEFAULT_REGION", region);
        env.putAll(credentialsEnvironment());
        return env;
    }

    /**
     * Turns the account's outbound web identity federation on or off; off, every call fails with
     * {@code 403 OutboundWebIdentityFederationDisabledException}, as before
     * {@code aws iam enable-outbound-web-identity-federation}.
     *
     * @param enabled whether the feature is on
     */
    public void outboundFederationEnabled(boolean enabled) {
        this.federationEnabled = enabled;
    }

    /**
     * Grants or withdraws {@code sts:GetWebIdentityToken} from the role; withdrawn, every call fails with
     * {@code 403 AccessDenied} naming the action.
     *
     * @param allow whether the role's policy allows the action
     */
    public void allowGetWebIdentityToken(boolean allow) {
        this.allowed = allow;
    }

    /**
     * An STS error in the Query protocol's format.
     *
     * @param status the HTTP status
     * @param code the error code, e.g. {@code Throttling} or {@code RegionDisabledException}
     * @param message the message
     * @return a fault answering {@code <ErrorResponse><Error><Type>Sender</Type><Code>...}
     */
    public static Fault error(int status, String code, String message) {
        return Fault.response(status, "text/xml", errorXml(status, code, message));
    }

    /** @return a fault answering {@code 400 Throttling: Rate exceeded}, which the SDK retries */
    public static Fault throttling() {
        return error(400, "Throttling", "Rate exceeded");
    }

    /** @return the decoded parameters of every well-signed {@code GetWebIdentityToken} request, oldest first */
    public List<Map<String, String>> tokenRequests() {
        return List.copyOf(tokenRequests);
    }

    @Override
    String details() {
        return roleArn + ", " + region;
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = log().receive(exchange);
        if (log().playFault(exchange, UUID.randomUUID().toString())) {
            return;
        }
        if (!"POST".equals(exchange.getRequestMethod())) {
            sendError(exchange, 400, "InvalidAction", "Could not find operation for " + exchange.getRequestMethod());
            return;
        }
        // Authentication comes before anything else, as at STS.
        SigV4.Authorization auth;
        try {
            auth = SigV4.parse(exchange.getRequestHeaders().getFirst("Authorization"));
        } catch (IllegalArgumentException e) {
            sendError(exchange, 403, "MissingAuthenticationToken", e.getMessage());
            return;
        }
        if (!accessKeyId.equals(auth.accessKeyId())) {
            sendError(exchange, 403, "InvalidClientTokenId", "The security token included in the request is invalid.");
            return;
        }
        if (!region.equals(auth.region()) || !"sts".equals(auth.service())) {
            sendError(exchange, 403, "SignatureDoesNotMatch", "Credential should be scoped to a valid region and "
                    + "service: expected " + region + "/sts, got " + auth.region() + "/" + auth.service() + ".");
            return;
        }
        if (!SigV4.verify(auth, secretAccessKey, "POST", exchange.getRequestURI().getRawPath(),
                exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders(), body)) {
            sendError(exchange, 403, "SignatureDoesNotMatch", "The request signature we calculated does not match "
                    + "the signature you provided. Check your AWS Secret Access Key and signing method.");
            return;
        }
        if (sessionToken != null && !sessionToken.equals(exchange.getRequestHeaders().getFirst("X-Amz-Security-Token"))) {
            sendError(exchange, 403, "InvalidClientTokenId", "The security token included in the request is invalid.");
            return;
        }
        Map<String, String> form = Exchanges.form(new String(body, StandardCharsets.UTF_8));
        if (!"GetWebIdentityToken".equals(form.get("Action"))) {
            sendError(exchange, 400, "InvalidAction", "Could not find operation " + form.get("Action")
                    + " for version " + form.get("Version"));
            return;
        }
        if (!"2011-06-15".equals(form.get("Version"))) {
            sendError(exchange, 400, "InvalidAction", "Could not find operation GetWebIdentityToken for version "
                    + form.get("Version"));
            return;
        }
        tokenRequests.add(Map.copyOf(form));
        mint(exchange, form);
    }

    private void mint(HttpExchange exchange, Map<String, String> form) throws IOException {
        List<String> audiences = members(form, "Audience.member.");
        if (audiences.isEmpty()) {
            sendError(exchange, 400, "MissingParameter", "The request must contain the parameter Audience.");
            return;
        }
        if (audiences.size() > 10) {
            sendError(exchange, 400, "ValidationError", "1 validation error detected: Value at 'audience' failed to "
                    + "satisfy constraint: Member must have length less than or equal to 10");
            return;
        }
        String algorithm = form.get("SigningAlgorithm");
        if (algorithm == null) {
            sendError(exchange, 400, "MissingParameter", "The request must contain the parameter SigningAlgorithm.");
            return;
        }
        if (!"RS256".equals(algorithm) && !"ES384".equals(algorithm)) {
            sendError(exchange, 400, "ValidationError", "1 validation error detected: Value '" + algorithm
                    + "' at 'signingAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: "
                    + "[RS256, ES384]");
            return;
        }
        int duration;
        try {
            duration = Integer.parseInt(form.getOrDefault("DurationSeconds", "300"));
        } catch (NumberFormatException e) {
            sendError(exchange, 400, "ValidationError", "DurationSeconds is not an integer");
            return;
        }
        if (duration < 60 || duration > 3600) {
            sendError(exchange, 400, "ValidationError", "1 validation error detected: Value '" + duration
                    + "' at 'durationSeconds' failed to satisfy constraint: Member must have value between 60 and 3600");
            return;
        }
        if (!federationEnabled) {
            sendError(exchange, 403, "OutboundWebIdentityFederationDisabledException", "Outbound web identity "
                    + "federation is disabled for account " + accountId() + ".");
            return;
        }
        if (!allowed) {
            sendError(exchange, 403, "AccessDenied", "User: " + sessionArn() + " is not authorized to perform: "
                    + "sts:GetWebIdentityToken because no identity-based policy allows the sts:GetWebIdentityToken "
                    + "action");
            return;
        }
        Instant now = clock.instant();
        Instant expiry = now.plusSeconds(duration).truncatedTo(ChronoUnit.SECONDS);
        if (sessionExpiry != null && expiry.isAfter(sessionExpiry)) {
            sendError(exchange, 403, "SessionDurationEscalationException", "The requested token duration of "
                    + duration + " seconds would extend the session beyond its original expiration time.");
            return;
        }
        Map<String, Object> awsClaims = new LinkedHashMap<>();
        awsClaims.put("aws_account", accountId());
        awsClaims.put("source_region", region);
        awsClaims.put("org_id", orgId);
        awsClaims.put("principal_id", roleArn);
        Map<String, String> tags = new TreeMap<>();
        for (int i = 1; form.containsKey("Tags.member." + i + ".Key"); i++) {
            tags.put(form.get("Tags.member." + i + ".Key"), form.getOrDefault("Tags.member." + i + ".Value", ""));
        }
        if (!tags.isEmpty()) {
            awsClaims.put("request_tags", tags);
        }
        String jwt = issuer(algorithm).mint()
                .subject(roleArn)
                .audience(audiences.toArray(String[]::new))
                .issuedAt(now)
                .expiresAt(expiry)
                .claim(AWS_CLAIMS, awsClaims)
                .sign();
        String xml = "<GetWebIdentityTokenResponse xmlns=\"" + NAMESPACE + "\">\n"
                + "  <GetWebIdentityTokenResult>\n"
                + "    <WebIdentityToken>" + jwt + "</WebIdentityToken>\n"
                + "    <Expiration>" + expiry + "</Expiration>\n"
                + "  </GetWebIdentityTokenResult>\n"
                + "  <ResponseMetadata>\n"
                + "    <RequestId>" + UUID.randomUUID() + "</RequestId>\n"
                + "  </ResponseMetadata>\n"
                + "</GetWebIdentityTokenResponse>\n";
        LoopbackServer.send(exchange, 200, "text/xml", xml, Map.of());
    }

    private String sessionArn() {
        String name = roleArn.substring(roleArn.lastIndexOf('/') + 1);
        return "arn:aws:sts::" + accountId() + ":assumed-role/" + name + "/wif4j-session";
    }

    private static List<String> members(Map<String, String> form, String prefix) {
        List<String> values = new ArrayList<>();
        for (int i = 1; form.containsKey(prefix + i); i++) {
            values.add(form.get(prefix + i));
        }
        return values;
    }

    private static void sendError(HttpExchange exchange, int status, String code, String message) throws IOException {
        LoopbackServer.send(exchange, status, "text/xml", errorXml(status, code, message), Map.of());
    }

    private static String errorXml(int status, String code, String message) {
        return "<ErrorResponse xmlns=\"" + NAMESPACE + "\">\n"
                + "  <Error>\n"
                + "    <Type>" + (status >= 500 ? "Receiver" : "Sender") + "</Type>\n"
                + "    <Code>" + escape(code) + "</Code>\n"
                + "    <Message>" + escape(message) + "</Message>\n"
                + "  </Error>\n"
                + "  <RequestId>" + UUID.randomUUID() + "</RequestId>\n"
                + "</ErrorResponse>\n";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Configures an {@link AwsStsEmulator}. */
    public static final class Builder extends LoopbackEmulator.Builder<Builder, AwsStsEmulator> {
        private String roleArn = DEFAULT_ROLE_ARN;
        private String region = "us-east-1";
        private String orgId = "o-abc1234567";
        private String accessKeyId = "AKIAWIF4JEMULATOR001";
        private String secretAccessKey = "wif4j/emulator/secret/" + UUID.randomUUID();
        private String sessionToken;
        private Duration sessionExpiresIn;

        private Builder() {
        }

        /**
         * @param roleArn the caller's role, e.g. {@code arn:aws:iam::123456789012:role/claude-workload}
         * @return this builder
         */
        public Builder roleArn(String roleArn) {
            if (!roleArn.matches("arn:aws[a-z-]*:iam::\\d{12}:role/.+")) {
                throw new IllegalArgumentException("a role ARN is arn:aws:iam::<12 digits>:role/<name>, not " + roleArn);
            }
            this.roleArn = roleArn;
            return this;
        }

        /**
         * @param region the region requests must be signed for, e.g. {@code eu-west-1}
         * @return this builder
         */
        public Builder region(String region) {
            this.region = Objects.requireNonNull(region);
            return this;
        }

        /**
         * @param orgId the AWS Organizations id in the {@code org_id} claim
         * @return this builder
         */
        public Builder orgId(String orgId) {
            this.orgId = Objects.requireNonNull(orgId);
            return this;
        }

        /**
         * @param accessKeyId the access key id to accept
         * @param secretAccessKey the secret key requests must be signed with
         * @return this builder
         */
        public Builder credentials(String accessKeyId, String secretAccessKey) {
            this.accessKeyId = Objects.requireNonNull(accessKeyId);
            this.secretAccessKey = Objects.requireNonNull(secretAccessKey);
            return this;
        }

        /**
         * Makes the credentials temporary: requests must carry this {@code X-Amz-Security-Token}.
         *
         * @param sessionToken the session token
         * @return this builder
         */
        public Builder sessionToken(String sessionToken) {
            this.sessionToken = Objects.requireNonNull(sessionToken);
            return this;
        }

        /**
         * Ends the caller's session this long after start: a token that would outlive it is refused with
         * {@code SessionDurationEscalationException}, as STS does for temporary credentials.
         *
         * @param remaining the session's remaining lifetime
         * @return this builder
         */
        public Builder sessionExpiresIn(Duration remaining) {
            this.sessionExpiresIn = Objects.requireNonNull(remaining);
            return this;
        }

        @Override
        public AwsStsEmulator start() {
            return new AwsStsEmulator(this);
        }
    }
}
