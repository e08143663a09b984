/**
 * {@link dev.wif4j.anthropic.WorkloadIdentityInterceptor}: workload-identity access tokens for the official
 * Claude Java client.
 */
package dev.wif4j.anthropic;
