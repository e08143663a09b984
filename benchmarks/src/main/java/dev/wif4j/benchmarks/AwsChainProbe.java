package dev.wif4j.benchmarks;

import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * A child process of the start-up runs, the peer of {@link DetectProbe}: the AWS SDK's default credentials
 * chain, which off the cloud (no variables, no profile, IMDS disabled) ends in an {@link SdkClientException}.
 * Exits with 0 on that verdict, 2 if credentials were found.
 */
public final class AwsChainProbe {
    private AwsChainProbe() {}

    /**
     * Resolves the default chain once.
     *
     * @param args none
     */
    public static void main(String[] args) {
        int status;
        try (DefaultCredentialsProvider chain = DefaultCredentialsProvider.builder().build()) {
            chain.resolveCredentials();
            status = 2;
        } catch (SdkClientException expected) {
            status = 0;
        }
        Runtime.getRuntime().exit(status);
    }
}
