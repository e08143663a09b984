/**
 * wif4j for Spring Boot 4: a {@link dev.wif4j.WorkloadIdentity} bean from the {@code wif4j.*} properties,
 * Spring AI's Anthropic client and the official client authorised with it, the {@code wif4j} health
 * indicator and info contributor, and Micrometer meters ({@link dev.wif4j.spring.WorkloadIdentityMetrics}).
 * {@code wif4j-spring-boot3-starter} builds on this jar: the auto-configurations that do not depend on the Boot
 * line (the identity, info and meters) run on Spring Boot 3.5 too, and the others find their classes missing there.
 */
package dev.wif4j.spring;
