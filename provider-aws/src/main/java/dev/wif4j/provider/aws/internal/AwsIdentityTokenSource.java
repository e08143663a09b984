package dev.wif4j.provider.aws.internal;

import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.spi.support.BoundedHttp;
import dev.wif4j.spi.support.FirstTokenLog;
import dev.wif4j.spi.support.SettingException;
import dev.wif4j.spi.support.Text;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.defaultsmode.DefaultsMode;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.endpoints.StsEndpointProvider;
import software.amazon.awssdk.services.sts.model.GetWebIdentityTokenRequest;
import software.amazon.awssdk.services.sts.model.GetWebIdentityTokenResponse;
import software.amazon.awssdk.services.sts.model.OutboundWebIdentityFederationDisabledException;
import software.amazon.awssdk.services.sts.model.SessionDurationEscalationException;
import software.amazon.awssdk.services.sts.model.Tag;

/**
 * Asks STS {@code GetWebIdentityToken} for a new token on every fetch, through an {@link StsClient} built
 * explicitly so the AWS SDK reads nothing from the process that the {@link DetectionContext} did not give
 * it, when the context gives it enough:
 * <ul>
 * <li>credentials: {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} and {@code AWS_SESSION_TOKEN}
 * from the context; only when the context has none, the SDK's {@link DefaultCredentialsProvider}, which
 * reads the real process environment, system properties, {@code ~/.aws}, the container credentials
 * endpoint and IMDS: what a workload on AWS wants;</li>
 * <li>region: {@code aws.region}, {@code AWS_REGION}, {@code AWS_DEFAULT_REGION} from the context; only
 * when none is set, the SDK's {@link DefaultAwsRegionProviderChain} (real environment, profile, IMDS);</li>
 * <li>endpoint: {@code aws.sts.endpoint}, {@code AWS_ENDPOINT_URL_STS} or {@code AWS_ENDPOINT_URL} from
 * the context, else the regional endpoint the SDK's STS endpoint rules give for the region, never the
 * global {@code sts.amazonaws.com};</li>
 * <li>everything else (retries, timeouts, defaults mode, FIPS and dual-stack flags, the profile file for
 * client settings) set here, so {@code AWS_RETRY_MODE}, {@code AWS_MAX_ATTEMPTS} or a {@code ~/.aws/config}
 * cannot make a call take minutes.</li>
 * </ul>
 * A fetch is one HTTP attempt: the SDK's retries are off ({@link AwsRetryStrategy#doNotRetry()}), and the call
 * as a whole is bounded by {@link DetectionContext#fetchTimeout()}. Throttling, 5xx answers and network failures
 * are thrown retryable, so that wif4j's exchange, the one owner of retries, tries again with a new fetch.
 */
public final class AwsIdentityTokenSource implements IdentityTokenSource {

    /** The longest a connection may take to open, when the fetch timeout allows that much. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

    /** The IAM policy statement the workload's role needs. */
    public static final String POLICY_STATEMENT =
            "{\"Effect\": \"Allow\", \"Action\": \"sts:GetWebIdentityToken\", \"Resource\": \"*\"}";

    private final DetectionContext context;
    private final StsSettings settings;
    private final Duration timeout;
    private final Object lock = new Object();
    private StsClient client;
    /** Made with the client, once the region is known; read after {@link #client()} set it. */
    private volatile FirstTokenLog described;
    private URI endpoint;
    private String region;
    private boolean contextCredentials;

    /**
     * @param context where credentials, region and endpoint come from
     * @param settings the checked settings
     */
    public AwsIdentityTokenSource(DetectionContext context, StsSettings settings) {
        this.context = context;
        this.settings = settings;
        this.timeout = context.fetchTimeout();
    }

    @Override
    public IdentityToken fetch() {
        StsClient sts = client();
        GetWebIdentityTokenRequest.Builder request = GetWebIdentityTokenRequest.builder()
                .audience(settings.audience())
                .signingAlgorithm(settings.signingAlgorithm())
                .durationSeconds(settings.durationSeconds());
        if (!settings.tags().isEmpty()) {
            request.tags(settings.tags().entrySet().stream()
                    .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList());
        }
        GetWebIdentityTokenResponse response;
        try {
            response = sts.getWebIdentityToken(request.build());
        } catch (SdkException e) {
            throw explain(e);
        }
        String jwt = response.webIdentityToken();
        if (jwt == null || jwt.isBlank()) {
            throw new IdentityTokenException("STS at " + endpoint.getHost() + " answered GetWebIdentityToken without "
                    + "a WebIdentityToken.");
        }
        IdentityToken token;
        try {
            token = IdentityToken.parse(jwt.strip());
        } catch (IdentityTokenException e) {
            throw new IdentityTokenException("STS's WebIdentityToken is not a JWT: " + e.getMessage());
        }
        return described.once(token);
    }

    /** Builds the client on first use, so {@code open} stays cheap and a failure surfaces from {@code fetch}. */
    private StsClient client() {
        synchronized (lock) {
            if (client == null) {
                client = build();
                described = FirstTokenLog.of(context, AwsIdentityTokenSource.class, "AWS web identity token from "
                        + region, List.of(), this::advice);
            }
            return client;
        }
    }

    private StsClient build() {
        region = settings.region().orElseGet(this::regionFromSdkChain);
        endpoint = settings.endpoint().orElseGet(this::regionalEndpoint);
        if (StsSettings.GLOBAL_HOST.equalsIgnoreCase(endpoint.getHost())) {
            throw new SettingException(StsSettings.globalEndpointMessage());
        }
        AwsCredentialsProvider credentials = credentials();
        // An empty profile for the client's own settings: with context credentials, no ~/.aws/config may
        // change retries, endpoints or checksums behind the context's back.
        ProfileFile noProfile = ProfileFile.builder().content(new ByteArrayInputStream(new byte[0]))
                .type(ProfileFile.Type.CONFIGURATION).build();
        return StsClient.builder()
                .region(Region.of(region))
                .endpointOverride(endpoint)
                .fipsEnabled(false)      // already applied to the endpoint
                .dualstackEnabled(false) // idem
                .credentialsProvider(credentials)
                .defaultsMode(DefaultsMode.STANDARD)
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(timeout.compareTo(CONNECT_TIMEOUT) < 0 ? timeout : CONNECT_TIMEOUT)
                        .socketTimeout(timeout)
                        .build())
                .overrideConfiguration(o -> o
                        // One attempt, bounded as a whole: wif4j's exchange owns retries.
                        .apiCallTimeout(timeout)
                        .apiCallAttemptTimeout(timeout)
                        .defaultProfileFile(noProfile)
                        .defaultProfileName("default")
                        .retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    private AwsCredentialsProvider credentials() {
        Optional<String> keyId = context.env("AWS_ACCESS_KEY_ID");
        Optional<String> secret = context.env("AWS_SECRET_ACCESS_KEY");
        if (keyId.isPresent() != secret.isPresent()) {
            throw new SettingException((keyId.isPresent() ? "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY"
                    : "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID") + " is not: set both, or neither to let "
                    + "the AWS SDK find the workload's role credentials.");
        }
        if (keyId.isPresent()) {
            contextCredentials = true;
            Optional<String> session = context.env("AWS_SESSION_TOKEN");
            return StaticCredentialsProvider.create(session.isPresent()
                    ? AwsSessionCredentials.create(keyId.get().strip(), secret.get().strip(), session.get().strip())
                    : AwsBasicCredentials.create(keyId.get().strip(), secret.get().strip()));
        }
        // Deliberately the real process's chain: on AWS the role's credentials come from IMDS, the container
        // endpoint or a web identity file, which the SDK knows how to refresh.
        return DefaultCredentialsProvider.builder().build();
    }

    private String regionFromSdkChain() {
        try {
            String found = new DefaultAwsRegionProviderChain().getRegion().id();
            StsSettings.checkRegion(found, null);
            return found;
        } catch (SdkClientException e) {
            throw new SettingException("No AWS region is set, and GetWebIdentityToken is served only by "
                    + "regional STS endpoints: set AWS_REGION (e.g. AWS_REGION=us-east-1) or the setting aws.region "
                    + "(WIF4J_AWS_REGION) to the region the workload runs in. The AWS SDK's region chain found none: "
                    + e.getMessage());
        }
    }

    private URI regionalEndpoint() {
        try {
            return StsEndpointProvider.defaultProvider().resolveEndpoint(p -> p.region(Region.of(region))
                    .useGlobalEndpoint(false).useFips(settings.fips()).useDualStack(settings.dualStack()))
                    .join().endpointUrl().toUri();
        } catch (RuntimeException e) {
            throw new SettingException("The AWS SDK has no STS endpoint for region " + region
                    + (settings.fips() ? " with FIPS" : "") + (settings.dualStack() ? " with dual-stack" : "")
                    + ": " + e.getMessage());
        }
    }

    /**
     * Turns an SDK failure into a message a user can act on.
     *
     * @param e the failure
     * @return the exception to throw
     */
    private IdentityTokenException explain(SdkException e) {
        String where = "STS " + region + " (" + endpoint.getHost() + ")";
        if (e instanceof OutboundWebIdentityFederationDisabledException) {
            return new IdentityTokenException("Outbound web identity federation is not enabled in this AWS account, "
                    + "so " + where + " refused GetWebIdentityToken. An administrator enables it once per account "
                    + "with `aws iam enable-outbound-web-identity-federation` (or IAM console → Account settings); "
                    + "`aws iam get-outbound-web-identity-federation-info` then shows the account's issuer URL to "
                    + "register with Anthropic. STS said: " + message(e), e);
        }
        if (e instanceof SessionDurationEscalationException) {
            return new IdentityTokenException(where + " refused a token living " + settings.durationSeconds()
                    + " s: it would outlive the caller's AWS session (temporary credentials cannot mint a token "
                    + "that expires after they do). Lower aws.duration.seconds (WIF4J_AWS_DURATION_SECONDS), e.g. "
                    + "to 300, or use credentials with a longer session. STS said: " + message(e), e);
        }
        if (e instanceof AwsServiceException service) {
            String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
            int status = service.statusCode();
            if ("AccessDenied".equals(code) || "AccessDeniedException".equals(code)) {
                return new IdentityTokenException(where + " denied sts:GetWebIdentityToken: " + message(e)
                        + ". Allow it on the workload's IAM role with the policy statement " + POLICY_STATEMENT
                        + ", and check that no SCP or permissions boundary denies it.", e);
            }
            if (service.isThrottlingException()) {
                return new IdentityTokenException(where + " throttled GetWebIdentityToken (" + code + "); a later "
                        + "attempt may succeed.", e, true);
            }
            if ("ExpiredToken".equals(code) || "ExpiredTokenException".equals(code)) {
                return new IdentityTokenException("The AWS session credentials have expired (" + where + " said: "
                        + message(e) + "); the next fetch uses refreshed credentials when the SDK's chain "
                        + "supplies them, otherwise renew AWS_SESSION_TOKEN.", e, !contextCredentials);
            }
            if ("InvalidClientTokenId".equals(code) || "SignatureDoesNotMatch".equals(code)
                    || "UnrecognizedClientException".equals(code)) {
                return new IdentityTokenException(where + " did not accept the AWS credentials (" + code + ": "
                        + message(e) + "): check " + (contextCredentials ? "AWS_ACCESS_KEY_ID, "
                        + "AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN" : "the credentials the AWS SDK's chain "
                        + "found") + ", and that STS is active in " + region + ".", e);
            }
            if ("JWTPayloadSizeExceededException".equals(code)) {
                return new IdentityTokenException(where + " refused the token: its claims would be too large ("
                        + message(e) + "). Send fewer or shorter request tags (aws.tags, WIF4J_AWS_TAGS).", e);
            }
            if ("RegionDisabledException".equals(code)) {
                return new IdentityTokenException("STS is not activated in " + region + " for this account: "
                        + "activate the region in IAM → Account settings, or set AWS_REGION to an active region. STS "
                        + "said: " + message(e), e);
            }
            return new IdentityTokenException(where + " answered GetWebIdentityToken with HTTP " + status
                    + (code == null ? "" : " " + code) + ": " + message(e), e, BoundedHttp.isTransient(status));
        }
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return new IdentityTokenException(where + " did not answer GetWebIdentityToken within "
                    + seconds(timeout) + ".", e, true);
        }
        String text = String.valueOf(e.getMessage());
        if (text.contains("Unable to load credentials")) {
            return new IdentityTokenException("No AWS credentials were found for STS GetWebIdentityToken. On AWS, "
                    + "give the workload a role (instance profile, ECS task role, Lambda execution role, EKS IRSA "
                    + "or Pod Identity); elsewhere set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE. "
                    + "The AWS SDK's credentials chain tried: " + text, e);
        }
        return new IdentityTokenException("Could not call " + where + ": " + text, e, true);
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static String message(SdkException e) {
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null
                && service.awsErrorDetails().errorMessage() != null) {
            return service.awsErrorDetails().errorMessage();
        }
        return String.valueOf(e.getMessage());
    }

    /** After the first token's claims: its account (nested in STS's own claim), and how to pin the role. */
    private String advice(IdentityToken token) {
        Object aws = token.claims().get("https://sts.amazonaws.com/");
        String account = aws instanceof Map<?, ?> map && map.get("aws_account") != null
                ? "Its account: aws_account=" + Text.escape(String.valueOf(map.get("aws_account"))) + ". " : "";
        return account + "A narrow federation rule pins subject_prefix to that role ARN and audience to "
                + Text.escape(settings.audience()) + ".";
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (client != null) {
                client.close();
                client = null;
            }
        }
    }

    @Override
    public String toString() {
        return "AwsIdentityTokenSource[audience=" + settings.audience() + ", " + settings.signingAlgorithm() + ", "
                + settings.durationSeconds() + " s, endpoint="
                + settings.endpoint().map(URI::toString).orElse("regional") + "]";
    }
}
