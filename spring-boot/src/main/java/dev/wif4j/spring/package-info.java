/**
 * wif4j for Spring Boot 4: a {@link dev.wif4j.WorkloadIdentity} bean from the {@code wif4j.*} properties,
 * Spring AI's Anthropic client and the official client authorised with it, the {@code wif4j} health
 * indicator and info contributor, and Micrometer meters ({@link dev.wif4j.spring.WorkloadIdentityMetrics}).
 */
package dev.wif4j.spring;
