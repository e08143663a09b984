/**
 * {@link dev.wif4j.langchain4j.WorkloadIdentityHttpClientBuilder}: workload-identity access tokens for
 * LangChain4j's Anthropic chat models.
 */
package dev.wif4j.langchain4j;
