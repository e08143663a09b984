/**
 * wif4j for Spring Boot 4: a {@link dev.wif4j.WorkloadIdentity} bean from the {@code wif4j.*} properties,
 * Spring AI's Anthropic client and the official client authorised with it, and the {@code wif4j} health
 * indicator.
 */
package dev.wif4j.spring;
