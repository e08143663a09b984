/**
 * The {@code aws} identity provider ({@link dev.wif4j.provider.aws.AwsIdentityProvider}): identity tokens
 * from AWS STS GetWebIdentityToken.
 * Found by {@link java.util.ServiceLoader}; applications need not name it.
 */
package dev.wif4j.provider.aws;
