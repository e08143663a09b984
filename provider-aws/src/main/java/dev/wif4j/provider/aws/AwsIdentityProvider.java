package dev.wif4j.provider.aws;

import dev.wif4j.provider.aws.internal.AwsIdentityTokenSource;
import dev.wif4j.provider.aws.internal.StsSettings;
import dev.wif4j.spi.Detection;
import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.IdentityProvider;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.spi.support.Dmi;
import dev.wif4j.spi.support.Text;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code aws} provider: an AWS workload (EC2, ECS, Lambda, EKS with IRSA or Pod Identity, or anything
 * with AWS credentials) asks STS {@code GetWebIdentityToken} (IAM outbound identity federation) for a JWT
 * whose {@code sub} is its IAM role ARN, and presents it to Anthropic. Every fetch calls STS anew.
 *
 * <p>Settings ({@code wif4j.aws.<key>} / {@code WIF4J_AWS_<KEY>}): {@code audience} (default
 * {@code https://api.anthropic.com}), {@code signing.algorithm} ({@code RS256}, the default, or
 * {@code ES384}), {@code duration.seconds} (60–3600, default 300), {@code tags} ({@code k=v,k2=v2}, added to
 * the token as {@code request_tags}), {@code region} (else {@code AWS_REGION}, {@code AWS_DEFAULT_REGION},
 * the SDK's region chain), {@code sts.endpoint} (else {@code AWS_ENDPOINT_URL_STS}, {@code AWS_ENDPOINT_URL},
 * else the regional endpoint; never the global one). Earlier releases' dashed keys
 * ({@code signing-algorithm}) are still read.
 *
 * <p>Detection reads local signals only and never calls IMDS: {@code AWS_LAMBDA_FUNCTION_NAME},
 * {@code AWS_EXECUTION_ENV}, {@code ECS_CONTAINER_METADATA_URI_V4}, {@code AWS_CONTAINER_CREDENTIALS_*},
 * {@code AWS_WEB_IDENTITY_TOKEN_FILE} with {@code AWS_ROLE_ARN}, {@code AWS_ACCESS_KEY_ID},
 * {@code AWS_PROFILE}, and the DMI data of an EC2 instance ({@code /sys/class/dmi/id/board_asset_tag}
 * starting with {@code i-}, or {@code sys_vendor} {@code Amazon EC2}). On an EC2 instance with
 * {@code AWS_EC2_METADATA_DISABLED=true} and no other credentials it is unavailable, since the SDK could
 * not reach the instance role. Pinned or not, with no signal at all it is unavailable and says what to set.
 *
 * <p>Priority 0: an AWS role is the identity of last resort among the cloud providers; a Kubernetes
 * service account or a CI job on AWS hardware is the identity meant.
 */
public final class AwsIdentityProvider implements IdentityProvider {

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public AwsIdentityProvider() {
    }

    @Override
    public String id() {
        return StsSettings.PROVIDER;
    }

    @Override
    public int priority() {
        return 0;
    }

    /** A malformed setting is a {@link dev.wif4j.spi.support.SettingException}, which detection reports. */
    @Override
    public Detection detect(DetectionContext context) {
        List<String> evidence = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        // Plain code up to the verdict: detection runs in a cold JVM, where each lambda costs a generated class.
        Optional<String> function = context.env("AWS_LAMBDA_FUNCTION_NAME");
        if (function.isPresent()) {
            evidence.add("Lambda function " + Text.escape(function.get()));
        }
        Optional<String> executionEnv = context.env("AWS_EXECUTION_ENV");
        if (executionEnv.isPresent() && (!executionEnv.get().startsWith("AWS_Lambda") || evidence.isEmpty())) {
            evidence.add("AWS_EXECUTION_ENV=" + Text.escape(executionEnv.get()));
        }
        if (context.env("ECS_CONTAINER_METADATA_URI_V4").isPresent()) {
            evidence.add("an ECS task (ECS_CONTAINER_METADATA_URI_V4)");
        }
        if (context.env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI").isPresent()) {
            evidence.add("container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: ECS task role)");
        } else if (context.env("AWS_CONTAINER_CREDENTIALS_FULL_URI").isPresent()) {
            evidence.add("container credentials (AWS_CONTAINER_CREDENTIALS_FULL_URI: EKS Pod Identity or a "
                    + "credentials agent)");
        }
        Optional<String> tokenFile = context.env("AWS_WEB_IDENTITY_TOKEN_FILE");
        Optional<String> roleArn = context.env("AWS_ROLE_ARN");
        if (tokenFile.isPresent() && roleArn.isPresent()) {
            if (readable(context, tokenFile.get())) {
                evidence.add("web identity role " + Text.escape(roleArn.get())
                        + " (AWS_WEB_IDENTITY_TOKEN_FILE: EKS IRSA)");
            } else {
                problems.add("AWS_WEB_IDENTITY_TOKEN_FILE names " + Text.escape(tokenFile.get())
                        + ", which cannot be read: check the projected service-account token volume");
            }
        } else if (tokenFile.isPresent() || roleArn.isPresent()) {
            problems.add((tokenFile.isPresent() ? "AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN"
                    : "AWS_ROLE_ARN is set but AWS_WEB_IDENTITY_TOKEN_FILE") + " is not: the SDK needs both to "
                    + "assume a role with a web identity");
        }
        boolean keyId = context.env("AWS_ACCESS_KEY_ID").isPresent();
        boolean secret = context.env("AWS_SECRET_ACCESS_KEY").isPresent();
        if (keyId && secret) {
            evidence.add("an access key (AWS_ACCESS_KEY_ID" + (context.env("AWS_SESSION_TOKEN").isPresent()
                    ? ", with AWS_SESSION_TOKEN)" : ")"));
        } else if (keyId || secret) {
            problems.add((keyId ? "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY"
                    : "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID") + " is not: set both");
        }
        Optional<String> profile = context.env("AWS_PROFILE");
        if (profile.isPresent()) {
            evidence.add("AWS profile " + Text.escape(profile.get()) + " (AWS_PROFILE)");
        }
        String ec2 = ec2Instance(context);
        boolean imdsDisabled = context.env("AWS_EC2_METADATA_DISABLED").orElse("").strip().equalsIgnoreCase("true");
        if (ec2 != null) {
            if (!imdsDisabled) {
                evidence.add("an EC2 instance (" + ec2 + "), whose role the SDK reads from IMDS");
            } else if (evidence.isEmpty()) {
                problems.add("this is an EC2 instance (" + ec2 + "), but AWS_EC2_METADATA_DISABLED=true "
                        + "keeps the AWS SDK from reading the instance role's credentials from IMDS, and no other "
                        + "credentials are set: unset AWS_EC2_METADATA_DISABLED, or set AWS_ACCESS_KEY_ID and "
                        + "AWS_SECRET_ACCESS_KEY or AWS_PROFILE");
            }
        }
        if (evidence.isEmpty()) {
            if (!problems.isEmpty()) {
                return Detection.unavailable(String.join("; ", problems));
            }
            return Detection.unavailable("no AWS signal: none of AWS_LAMBDA_FUNCTION_NAME, AWS_EXECUTION_ENV, "
                    + "ECS_CONTAINER_METADATA_URI_V4, AWS_CONTAINER_CREDENTIALS_RELATIVE_URI/FULL_URI, "
                    + "AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN, AWS_ACCESS_KEY_ID or AWS_PROFILE is set, and "
                    + "the DMI data (/sys/class/dmi/id) is not an EC2 instance's: run on AWS, or set AWS credentials");
        }
        return available(context, evidence, problems);
    }

    private static Detection available(DetectionContext context, List<String> evidence, List<String> problems) {
        StsSettings settings = StsSettings.from(context);
        return Detection.available(String.join("; ", evidence) + ". Tokens come from STS GetWebIdentityToken in "
                + settings.region().map(Text::escape).orElse("the AWS SDK's region") + " ("
                + settings.signingAlgorithm() + ", " + settings.durationSeconds() + " s, audience "
                + Text.escape(settings.audience()) + "); their sub is the IAM role ARN"
                + (problems.isEmpty() ? "" : ". Also seen: " + String.join("; ", problems)));
    }

    /** The instance id or vendor of an EC2 instance, from DMI data, read through the context; else {@code null}. */
    private static String ec2Instance(DetectionContext context) {
        String assetTag = Dmi.read(context, "board_asset_tag").orElse("");
        if (assetTag.startsWith("i-")) {
            return "DMI board_asset_tag " + Text.escape(assetTag);
        }
        return Dmi.read(context, "sys_vendor").orElse("").equals("Amazon EC2") ? "DMI sys_vendor Amazon EC2" : null;
    }

    private static boolean readable(DetectionContext context, String file) {
        try {
            Path path = context.path(file.strip());
            return Files.isRegularFile(path) && Files.isReadable(path);
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public IdentityTokenSource open(DetectionContext context) {
        return new AwsIdentityTokenSource(context, StsSettings.from(context));
    }

    @Override
    public String toString() {
        return "AwsIdentityProvider";
    }
}
