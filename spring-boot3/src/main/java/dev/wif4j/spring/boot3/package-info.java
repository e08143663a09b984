/**
 * wif4j for Spring Boot 3.5 with Spring AI 1.1: Spring AI's {@code AnthropicApi} authorised with a federated token
 * through the application's {@code RestClient.Builder} and {@code WebClient.Builder}, and the {@code wif4j} health
 * indicator on Boot 3's Actuator. The {@code WorkloadIdentity} bean, the {@code wif4j.*} properties, the
 * {@code WorkloadIdentityBuilderCustomizer}, the info contributor and the meters are
 * {@code wif4j-spring-boot-starter}'s (package {@code dev.wif4j.spring}), which works on both Boot lines.
 */
package dev.wif4j.spring.boot3;
