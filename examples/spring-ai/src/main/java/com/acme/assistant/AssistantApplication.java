package com.acme.assistant;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot service that asks Claude through Spring AI's {@code ChatClient}. It holds no credential and no
 * wif4j code: wif4j's starter authorises every request with a federated token, from the {@code wif4j.*}
 * properties or the {@code ANTHROPIC_*} variables of the deployment.
 */
@SpringBootApplication
public class AssistantApplication {

    /**
     * Starts the service.
     *
     * @param args Spring's {@code --property=value} options
     */
    public static void main(String[] args) {
        SpringApplication.run(AssistantApplication.class, args);
    }
}
