/**
 * The application API: {@link dev.wif4j.WorkloadIdentity} finds the workload's identity, exchanges it for
 * Anthropic access tokens and keeps one fresh; {@link dev.wif4j.HttpAuthorization} puts it on
 * {@code java.net.http} requests; {@link dev.wif4j.DetectionReport} says which provider was chosen and why.
 */
package dev.wif4j;
