package com.example.ask;

import java.util.stream.Collectors;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/** A user's Spring Boot 3 application: Spring AI's ChatClient, authorised by wif4j's starter with no code. */
@SpringBootApplication
public class AskClaude {

    /**
     * Asks Claude each non-option argument and prints each answer; with {@code --stream}, streams the answers.
     *
     * @param args the questions, and Spring's {@code --property=value} options
     */
    public static void main(String[] args) {
        SpringApplication.run(AskClaude.class, args).close();
    }

    @Bean
    ApplicationRunner ask(ChatClient.Builder chat) {
        return args -> {
            ChatClient client = chat.build();
            for (String question : args.getNonOptionArgs()) {
                String answer = args.containsOption("stream")
                        ? client.prompt().user(question).stream().content().collect(Collectors.joining()).block()
                        : client.prompt().user(question).call().content();
                System.out.println(answer);
            }
        };
    }
}
