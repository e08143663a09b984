/**
 * The {@code aws} identity provider: JWTs for a workload's IAM role from STS {@code GetWebIdentityToken}
 * (IAM outbound identity federation), through the AWS SDK for Java v2.
 *
 * @provides dev.wif4j.spi.IdentityProvider the {@code aws} provider
 */
module dev.wif4j.provider.aws {
    requires transitive dev.wif4j;
    requires software.amazon.awssdk.services.sts;
    requires software.amazon.awssdk.auth;
    requires software.amazon.awssdk.awscore;
    requires software.amazon.awssdk.core;
    requires software.amazon.awssdk.endpoints;
    requires software.amazon.awssdk.http;
    requires software.amazon.awssdk.http.urlconnection;
    requires software.amazon.awssdk.profiles;
    requires software.amazon.awssdk.regions;
    requires software.amazon.awssdk.retries;
    requires software.amazon.awssdk.retries.api;

    exports dev.wif4j.provider.aws;

    provides dev.wif4j.spi.IdentityProvider with dev.wif4j.provider.aws.AwsIdentityProvider;
}
