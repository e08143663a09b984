package dev.wif4j.provider.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.DetectionReport;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.spi.Detection;
import dev.wif4j.spi.IdentityProvider;
import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.spi.support.SettingException;
import dev.wif4j.testkit.AnthropicEmulator;
import dev.wif4j.testkit.AwsStsEmulator;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.Fault;
import dev.wif4j.testkit.IdentityProviderContract;
import dev.wif4j.testkit.RecordedRequest;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The {@code aws} provider, running the real AWS SDK against the STS emulator on 127.0.0.1. */
class AwsIdentityProviderTest extends IdentityProviderContract {
    @AutoClose
    static final AwsStsEmulator sts = AwsStsEmulator.start();

    @BeforeEach
    void reset() {
        sts.outboundFederationEnabled(true);
        sts.allowGetWebIdentityToken(true);
    }

    @Override
    protected IdentityProvider provider() {
        return new AwsIdentityProvider();
    }

    @Override
    protected FakeDetectionContext availableContext() {
        return FakeDetectionContext.builder().env(sts.lambdaEnvironment()).build();
    }

    private static FakeDetectionContext.Builder world(AwsStsEmulator emulator) {
        return FakeDetectionContext.builder().env(emulator.credentialsEnvironment());
    }

    private static RecordedRequest lastRequest() {
        List<RecordedRequest> requests = sts.requests();
        return requests.get(requests.size() - 1);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> awsClaims(IdentityToken token) {
        return (Map<String, Object>) token.claims().get(AwsStsEmulator.AWS_CLAIMS);
    }

    // ---- the request and the token -------------------------------------------------------------------------

    @Test
    @DisplayName("the SDK sends a SigV4-signed Query-protocol GetWebIdentityToken; the token carries the role ARN")
    void requestOnTheWireAndTokenClaims() {
        int before = sts.tokenRequests().size();
        IdentityToken token = fetchOnce(availableContext());

        RecordedRequest request = lastRequest();
        assertEquals("POST", request.method());
        assertTrue(request.header("Content-Type").orElseThrow().startsWith("application/x-www-form-urlencoded"));
        String date = LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.BASIC_ISO_DATE);
        String authorization = request.header("Authorization").orElseThrow();
        assertTrue(Pattern.compile("AWS4-HMAC-SHA256 Credential=" + sts.accessKeyId() + "/(" + date + "|\\d{8})/"
                + "us-east-1/sts/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}")
                .matcher(authorization).matches(), authorization);
        assertEquals(before + 1, sts.tokenRequests().size(), "the emulator verified the signature");
        Map<String, String> form = sts.tokenRequests().get(before);
        assertEquals("GetWebIdentityToken", form.get("Action"));
        assertEquals("2011-06-15", form.get("Version"));
        assertEquals("https://api.anthropic.com", form.get("Audience.member.1"));
        assertEquals("RS256", form.get("SigningAlgorithm"));
        assertEquals("300", form.get("DurationSeconds"));

        assertEquals(AwsStsEmulator.DEFAULT_ROLE_ARN, token.subject().orElseThrow());
        assertEquals(List.of("https://api.anthropic.com"), token.audience());
        assertEquals(sts.issuer().issuerUrl(), token.issuer().orElseThrow());
        assertEquals("RS256", token.algorithm().orElseThrow());
        assertEquals(Duration.ofSeconds(300),
                Duration.between(token.issuedAt().orElseThrow(), token.expiresAt().orElseThrow()));
        Map<String, Object> aws = awsClaims(token);
        assertEquals("123456789012", aws.get("aws_account"));
        assertEquals("o-abc1234567", aws.get("org_id"));
        assertEquals(AwsStsEmulator.DEFAULT_ROLE_ARN, aws.get("principal_id"));
    }

    @Test
    @DisplayName("audience, ES384, a 15-minute lifetime and request tags are asked for and show in the token")
    void settingsReachTheRequest() {
        IdentityToken token = fetchOnce(world(sts)
                .setting("aws.audience", "https://claude.example")
                .setting("aws.signing.algorithm", "es384")
                .setting("aws.duration.seconds", "900")
                .setting("aws.tags", "team=payments, env=prod")
                .build());
        Map<String, String> form = sts.tokenRequests().get(sts.tokenRequests().size() - 1);
        assertEquals("ES384", form.get("SigningAlgorithm"));
        assertEquals("900", form.get("DurationSeconds"));
        assertEquals("team", form.get("Tags.member.1.Key"));
        assertEquals("payments", form.get("Tags.member.1.Value"));
        assertEquals("env", form.get("Tags.member.2.Key"));
        assertEquals(List.of("https://claude.example"), token.audience());
        assertEquals("ES384", token.algorithm().orElseThrow());
        assertEquals(sts.issuer("ES384").issuerUrl(), token.issuer().orElseThrow());
        assertEquals(Duration.ofSeconds(900),
                Duration.between(token.issuedAt().orElseThrow(), token.expiresAt().orElseThrow()));
        assertEquals(Map.of("team", "payments", "env", "prod"), awsClaims(token).get("request_tags"));
    }

    @Test
    @DisplayName("the dashed keys of earlier releases are still read, in code and as system properties")
    void legacyDashedKeys() {
        IdentityToken token = fetchOnce(world(sts)
                .setting("aws.signing-algorithm", "ES384")
                .systemProperty("wif4j.aws.duration-seconds", "600")
                .build());
        assertEquals("ES384", token.algorithm().orElseThrow());
        assertEquals(Duration.ofSeconds(600),
                Duration.between(token.issuedAt().orElseThrow(), token.expiresAt().orElseThrow()));
    }

    @Test
    @DisplayName("each fetch calls STS anew, and the first one logs what a rule can pin")
    void eachFetchCallsSts() {
        int before = sts.tokenRequests().size();
        try (FakeDetectionContext context = availableContext();
                IdentityTokenSource source = provider().open(context)) {
            source.fetch();
            source.fetch();
            source.fetch();
            assertEquals(before + 3, sts.tokenRequests().size());
            List<String> described = context.logLines().stream().filter(l -> l.contains("narrow federation rule"))
                    .toList();
            assertEquals(1, described.size(), context.logLines().toString());
            assertTrue(described.get(0).contains("sub=" + AwsStsEmulator.DEFAULT_ROLE_ARN), described.get(0));
            assertTrue(described.get(0).contains("aws_account=123456789012"), described.get(0));
        }
    }

    @Test
    @DisplayName("a signing algorithm other than RS256 or ES384 is refused with the allowed values")
    void unsupportedAlgorithm() {
        try (FakeDetectionContext context = world(sts).setting("aws.signing.algorithm", "HS256").build()) {
            IdentityTokenException e = assertThrows(SettingException.class, () -> provider().open(context));
            assertEquals("the setting aws.signing.algorithm given in code is 'HS256', but STS "
                    + "GetWebIdentityToken signs with RS256 or ES384 only: set one of those, or leave it unset for "
                    + "RS256.", e.getMessage());
            // detect lets the SettingException propagate; detection reports it with the message alone.
            assertEquals(e.getMessage(), assertThrows(SettingException.class, () -> provider().detect(context))
                    .getMessage());
            DetectionReport.Entry entry = WorkloadIdentity.builder().context(context).provider("aws").detect()
                    .entries().get(0);
            assertEquals(DetectionReport.Status.UNAVAILABLE, entry.status());
            assertEquals(e.getMessage(), entry.message());
        }
    }

    @Test
    @DisplayName("a duration outside 60–3600 s, or malformed tags, are refused naming the setting")
    void badDurationAndTags() {
        try (FakeDetectionContext context = world(sts).env("WIF4J_AWS_DURATION_SECONDS", "7200").build()) {
            assertEquals("WIF4J_AWS_DURATION_SECONDS is '7200', but STS issues tokens living 60 to 3600 seconds: set "
                    + "a whole number in that range, or leave it unset for 300.",
                    assertThrows(SettingException.class, () -> provider().open(context)).getMessage());
        }
        try (FakeDetectionContext context = world(sts).setting("aws.tags", "team=a,oops").build()) {
            assertTrue(assertThrows(IdentityTokenException.class, () -> provider().open(context)).getMessage()
                    .contains("must be key=value pairs separated by commas, e.g. team=payments,env=prod; 'oops'"));
        }
    }

    @Test
    @DisplayName("the global endpoint and the aws-global region are refused: only regional STS serves the call")
    void globalEndpointRefused() {
        try (FakeDetectionContext context = world(sts).env("AWS_ENDPOINT_URL_STS", "https://sts.amazonaws.com").build()) {
            assertTrue(assertThrows(IdentityTokenException.class, () -> provider().open(context)).getMessage()
                    .startsWith("The STS endpoint is the global one (https://sts.amazonaws.com), which does not serve "
                            + "GetWebIdentityToken"));
        }
        try (FakeDetectionContext context = world(sts).env("AWS_REGION", "aws-global").build()) {
            assertTrue(assertThrows(IdentityTokenException.class, () -> provider().open(context)).getMessage()
                    .contains("GetWebIdentityToken is served only by regional endpoints"));
        }
    }

    // ---- STS errors ----------------------------------------------------------------------------------------

    @Test
    @DisplayName("federation disabled in the account: the error says `aws iam enable-outbound-web-identity-federation`")
    void federationDisabled() {
        sts.outboundFederationEnabled(false);
        IdentityTokenException e = fetchFailure(availableContext());
        assertFalse(e.isRetryable());
        assertTrue(e.getMessage().startsWith("Outbound web identity federation is not enabled in this AWS account, "
                + "so STS us-east-1 (127.0.0.1) refused GetWebIdentityToken. An administrator enables it once per "
                + "account with `aws iam enable-outbound-web-identity-federation`"), e.getMessage());
        assertTrue(e.getMessage().endsWith("STS said: Outbound web identity federation is disabled for account "
                + "123456789012."), e.getMessage());
    }

    @Test
    @DisplayName("access denied on sts:GetWebIdentityToken: the error gives the IAM policy statement")
    void accessDenied() {
        sts.allowGetWebIdentityToken(false);
        IdentityTokenException e = fetchFailure(availableContext());
        assertFalse(e.isRetryable());
        assertEquals("STS us-east-1 (127.0.0.1) denied sts:GetWebIdentityToken: User: "
                + "arn:aws:sts::123456789012:assumed-role/claude-workload/wif4j-session is not authorized to perform: "
                + "sts:GetWebIdentityToken because no identity-based policy allows the sts:GetWebIdentityToken action. "
                + "Allow it on the workload's IAM role with the policy statement {\"Effect\": \"Allow\", \"Action\": "
                + "\"sts:GetWebIdentityToken\", \"Resource\": \"*\"}, and check that no SCP or permissions boundary "
                + "denies it.", e.getMessage());
    }

    @Test
    @DisplayName("a token that would outlive the session: SessionDurationEscalationException says to lower the duration")
    void sessionDurationEscalation() {
        try (AwsStsEmulator shortSession = AwsStsEmulator.builder().sessionToken("FwoGZXIvYXdzEXAMPLE")
                .sessionExpiresIn(Duration.ofMinutes(10)).start()) {
            IdentityTokenException e = fetchFailure(world(shortSession).setting("aws.duration.seconds", "3600").build());
            assertFalse(e.isRetryable());
            assertTrue(e.getMessage().startsWith("STS us-east-1 (127.0.0.1) refused a token living 3600 s: it would "
                    + "outlive the caller's AWS session"), e.getMessage());
            assertTrue(e.getMessage().contains("Lower aws.duration.seconds (WIF4J_AWS_DURATION_SECONDS)"));
            // The default five minutes fits in the session.
            assertEquals(shortSession.roleArn(), fetchOnce(world(shortSession).build()).subject().orElseThrow());
        }
    }

    @Test
    @DisplayName("a fetch is one STS call: throttling fails it at once, retryable, and wif4j's retry then succeeds")
    void throttling() throws Exception {
        int before = sts.requests().size();
        sts.enqueue(AwsStsEmulator.throttling());
        IdentityTokenException e = fetchFailure(availableContext());
        assertTrue(e.isRetryable());
        assertEquals("STS us-east-1 (127.0.0.1) throttled GetWebIdentityToken (Throttling); a later attempt may "
                + "succeed.", e.getMessage());
        assertEquals(before + 1, sts.requests().size(), "the SDK did not retry");

        try (AwsStsEmulator own = AwsStsEmulator.start(); AnthropicEmulator anthropic = AnthropicEmulator.start();
                FakeDetectionContext context = exchanging(own, anthropic).build();
                WorkloadIdentity identity = WorkloadIdentity.builder().context(context).build()) {
            own.enqueue(AwsStsEmulator.throttling());
            assertEquals(200, anthropic.callMessages(identity.credentials().token()));
            assertEquals(2, own.requests().size(), "one throttled fetch, then wif4j's second attempt");
            assertEquals(1, anthropic.exchangeRequests());
        }
    }

    @Test
    @DisplayName("STS failing with 503 every time: one token() makes 3 STS calls (wif4j's attempts) and fails in < 30 s")
    void persistentOutageIsBounded() throws Exception {
        try (AwsStsEmulator own = AwsStsEmulator.start(); AnthropicEmulator anthropic = AnthropicEmulator.start();
                FakeDetectionContext context = exchanging(own, anthropic).build();
                WorkloadIdentity identity = WorkloadIdentity.builder().context(context).build()) {
            for (int i = 0; i < 20; i++) {
                own.enqueue(Fault.status(503, ""));
            }
            IdentityTokenException e = assertTokenFailsInBound(identity);
            assertTrue(e.getMessage().startsWith("STS us-east-1 (127.0.0.1) answered GetWebIdentityToken with HTTP 503"),
                    e.getMessage());
            assertEquals(3, own.requests().size(), "one STS call per fetch, three fetches: " + own.requests());
            assertEquals(0, anthropic.exchangeRequests(), "no identity token, nothing to exchange");
        }
    }

    @Test
    @DisplayName("too many request tags: JWTPayloadSizeExceededException says to send fewer")
    void payloadTooLarge() {
        sts.enqueue(AwsStsEmulator.error(400, "JWTPayloadSizeExceededException",
                "The requested token payload size exceeds the maximum allowed size."));
        IdentityTokenException e = fetchFailure(world(sts).setting("aws.tags", "a=1,b=2").build());
        assertFalse(e.isRetryable());
        assertEquals("STS us-east-1 (127.0.0.1) refused the token: its claims would be too large (The requested "
                + "token payload size exceeds the maximum allowed size.). Send fewer or shorter request tags "
                + "(aws.tags, WIF4J_AWS_TAGS).", e.getMessage());
    }

    @Test
    @DisplayName("wrong credentials are reported as such, without the secret")
    void wrongSecret() {
        IdentityTokenException e = fetchFailure(world(sts).env("AWS_SECRET_ACCESS_KEY", "CANARY-wrong-secret").build());
        assertTrue(e.getMessage().startsWith("STS us-east-1 (127.0.0.1) did not accept the AWS credentials "
                + "(SignatureDoesNotMatch: "), e.getMessage());
        assertFalse(e.getMessage().contains("CANARY"));
    }

    @Test
    @DisplayName("no region anywhere: the error says to set AWS_REGION")
    void noRegion() {
        Map<String, String> env = new LinkedHashMap<>(sts.credentialsEnvironment());
        env.remove("AWS_REGION");
        int before = sts.requests().size();
        IdentityTokenException e = fetchFailure(FakeDetectionContext.builder().env(env).build());
        assertTrue(e.getMessage().startsWith("No AWS region is set, and GetWebIdentityToken is served only by "
                + "regional STS endpoints: set AWS_REGION (e.g. AWS_REGION=us-east-1) or the setting aws.region "
                + "(WIF4J_AWS_REGION)"), e.getMessage());
        assertEquals(before, sts.requests().size(), "nothing was sent");
    }

    @Test
    @DisplayName("no credentials anywhere: the error lists what the SDK's chain tried")
    void noCredentials() {
        int before = sts.requests().size();
        IdentityTokenException e = fetchFailure(FakeDetectionContext.builder()
                .env("AWS_REGION", "us-east-1").env("AWS_ENDPOINT_URL_STS", sts.endpoint()).build());
        assertTrue(e.getMessage().startsWith("No AWS credentials were found for STS GetWebIdentityToken. On AWS, give "
                + "the workload a role"), e.getMessage());
        for (String tried : List.of("SystemPropertyCredentialsProvider", "EnvironmentVariableCredentialsProvider",
                "WebIdentityTokenFileCredentialsProvider", "ProfileCredentialsProvider", "ContainerCredentialsProvider",
                "InstanceProfileCredentialsProvider")) {
            assertTrue(e.getMessage().contains(tried), () -> tried + " missing from: " + e.getMessage());
        }
        assertEquals(before, sts.requests().size(), "nothing was sent");
    }

    /** A Lambda function whose STS is {@code own} and whose Anthropic trusts that STS's issuer for the role. */
    private static FakeDetectionContext.Builder exchanging(AwsStsEmulator own, AnthropicEmulator anthropic) {
        String ruleId = anthropic.trust(own.issuer(), own.roleArn());
        return FakeDetectionContext.builder().env(own.lambdaEnvironment())
                .env(anthropic.environment()).env("ANTHROPIC_FEDERATION_RULE_ID", ruleId);
    }

    // ---- detection -----------------------------------------------------------------------------------------

    @Test
    @DisplayName("with no AWS signal it is unavailable, pinned or not, and says what to set")
    void pinnedWithoutSignals() {
        try (FakeDetectionContext context = FakeDetectionContext.builder().pinned(true).networkForbidden().build()) {
            Detection detection = provider().detect(context);
            assertFalse(detection.isAvailable(), detection.message());
            assertTrue(detection.message().startsWith("no AWS signal: "), detection.message());
            assertEquals(List.of(), context.httpRequests());
        }
        try (FakeDetectionContext context = FakeDetectionContext.builder().networkForbidden().build()) {
            assertFalse(provider().detect(context).isAvailable());
        }
        // A half-set variable is still a problem to fix, pinned or not.
        try (FakeDetectionContext context = FakeDetectionContext.builder().pinned(true)
                .env("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/x").networkForbidden().build()) {
            assertFalse(provider().detect(context).isAvailable());
        }
    }

    @Test
    @DisplayName("WIF4J_PROVIDER=aws and builder().provider(\"aws\") give the same report entry, with and without signals")
    void pinnedAlikeWithTheseSignals() {
        for (Map<String, String> env : List.of(Map.<String, String>of(), sts.lambdaEnvironment(),
                Map.of("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE"))) {
            // The whole entry, location and implementation included: only how the choice was made differs.
            assertEquals(pinnedEntry(env, "aws", true), pinnedEntry(env, "aws", false), env.toString());
        }
    }

    @Test
    @DisplayName("Lambda: the function name and its region are the evidence")
    void detectsLambda() {
        try (FakeDetectionContext context = availableContext()) {
            Detection detection = provider().detect(context);
            assertTrue(detection.isAvailable(), detection.message());
            assertEquals("Lambda function claude-worker; an access key (AWS_ACCESS_KEY_ID). Tokens come from STS "
                    + "GetWebIdentityToken in us-east-1 (RS256, 300 s, audience https://api.anthropic.com); their sub "
                    + "is the IAM role ARN", detection.message());
        }
    }

    @Test
    @DisplayName("ECS: the task metadata and container credentials variables are the evidence")
    void detectsEcs() {
        try (FakeDetectionContext context = FakeDetectionContext.builder()
                .env("AWS_EXECUTION_ENV", "AWS_ECS_FARGATE")
                .env("ECS_CONTAINER_METADATA_URI_V4", "http://169.254.170.2/v4/abc")
                .env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/0b1c")
                .env("AWS_REGION", "eu-west-1")
                .networkForbidden().build()) {
            Detection detection = provider().detect(context);
            assertTrue(detection.isAvailable(), detection.message());
            assertTrue(detection.message().startsWith("AWS_EXECUTION_ENV=AWS_ECS_FARGATE; an ECS task "
                    + "(ECS_CONTAINER_METADATA_URI_V4); container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: "
                    + "ECS task role). Tokens come from STS GetWebIdentityToken in eu-west-1"), detection.message());
            assertEquals(List.of(), context.httpRequests());
        }
    }

    @Test
    @DisplayName("EC2: the DMI asset tag or vendor is the evidence, with no IMDS call")
    void detectsEc2ByDmi() {
        try (FakeDetectionContext context = FakeDetectionContext.builder()
                .file("/sys/class/dmi/id/board_asset_tag", "i-0123456789abcdef0\n")
                .file("/sys/class/dmi/id/sys_vendor", "Amazon EC2\n")
                .networkForbidden().build()) {
            Detection detection = provider().detect(context);
            assertTrue(detection.isAvailable(), detection.message());
            assertTrue(detection.message().startsWith("an EC2 instance (DMI board_asset_tag i-0123456789abcdef0), "
                    + "whose role the SDK reads from IMDS. Tokens come from STS GetWebIdentityToken in the AWS SDK's "
                    + "region"), detection.message());
            assertEquals(List.of(), context.httpRequests());
        }
        try (FakeDetectionContext context = FakeDetectionContext.builder()
                .file("/sys/class/dmi/id/sys_vendor", "Amazon EC2\n").networkForbidden().build()) {
            Detection detection = provider().detect(context);
            assertTrue(detection.isAvailable(), detection.message());
            assertTrue(detection.message().startsWith("an EC2 instance (DMI sys_vendor Amazon EC2)"));
        }
    }

    @Test
    @DisplayName("EC2 with AWS_EC2_METADATA_DISABLED and no other credentials: unavailable, and the reason says so")
    void ec2WithImdsDisabled() {
        try (FakeDetectionContext context = FakeDetectionContext.builder()
                .file("/sys/class/dmi/id/board_asset_tag", "i-0123456789abcdef0")
                .env("AWS_EC2_METADATA_DISABLED", "true")
                .networkForbidden().build()) {
            Detection detection = provider().detect(context);
            assertFalse(detection.isAvailable());
            assertEquals("this is an EC2 instance (DMI board_asset_tag i-0123456789abcdef0), but "
                    + "AWS_EC2_METADATA_DISABLED=true keeps the AWS SDK from reading the instance role's credentials "
                    + "from IMDS, and no other credentials are set: unset AWS_EC2_METADATA_DISABLED, or set "
                    + "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or AWS_PROFILE", detection.message());
            assertEquals(List.of(), context.httpRequests());
        }
    }

    @Test
    @DisplayName("EKS with IRSA: a readable web identity token file and AWS_ROLE_ARN are the evidence")
    void detectsEks() {
        String tokenFile = "/var/run/secrets/eks.amazonaws.com/serviceaccount/token";
        try (FakeDetectionContext context = FakeDetectionContext.builder()
                .env("AWS_WEB_IDENTITY_TOKEN_FILE", tokenFile)
                .env("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/claude-pod")
                .env("AWS_REGION", "us-west-2")
                .file(tokenFile, "eyJhbGciOiJSUzI1NiJ9.e30.c2ln")
                .networkForbidden().build()) {
            Detection detection = provider().detect(context);
            assertTrue(detection.isAvailable(), detection.message());
            assertTrue(detection.message().startsWith("web identity role arn:aws:iam::123456789012:role/claude-pod "
                    + "(AWS_WEB_IDENTITY_TOKEN_FILE: EKS IRSA). Tokens come from STS GetWebIdentityToken in us-west-2"),
                    detection.message());
            assertEquals(List.of(), context.httpRequests());
        }
        try (FakeDetectionContext context = FakeDetectionContext.builder()
                .env("AWS_WEB_IDENTITY_TOKEN_FILE", tokenFile).networkForbidden().build()) {
            Detection detection = provider().detect(context);
            assertFalse(detection.isAvailable());
            assertEquals("AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not: the SDK needs both to assume a "
                    + "role with a web identity", detection.message());
        }
    }

    @Test
    @DisplayName("no AWS signal: unavailable with the list of signals, no network call, nothing reached STS")
    void detectsNothing() {
        int before = sts.requests().size();
        try (FakeDetectionContext context = FakeDetectionContext.builder()
                .file("/sys/class/dmi/id/sys_vendor", "QEMU\n")
                .env("AWS_EC2_METADATA_DISABLED", "true")
                .networkForbidden().build()) {
            Detection detection = provider().detect(context);
            assertFalse(detection.isAvailable());
            assertEquals("no AWS signal: none of AWS_LAMBDA_FUNCTION_NAME, AWS_EXECUTION_ENV, "
                    + "ECS_CONTAINER_METADATA_URI_V4, AWS_CONTAINER_CREDENTIALS_RELATIVE_URI/FULL_URI, "
                    + "AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN, AWS_ACCESS_KEY_ID or AWS_PROFILE is set, and the "
                    + "DMI data (/sys/class/dmi/id) is not an EC2 instance's: run on AWS, or set AWS credentials",
                    detection.message());
            assertEquals(List.of(), context.httpRequests());
        }
        assertEquals(before, sts.requests().size(), "detection sent nothing to STS");
    }
}
