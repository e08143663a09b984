package com.acme.assistant;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /ask?question=...}: Claude's answer, as plain text. */
@RestController
public class AskController {
    private final ChatClient chat;

    /**
     * Creates the controller.
     *
     * @param chat Spring AI's builder, already authorised by wif4j's starter
     */
    public AskController(ChatClient.Builder chat) {
        this.chat = chat.defaultSystem("You are a concise assistant for ACME's engineers.").build();
    }

    /**
     * Asks Claude.
     *
     * @param question the question
     * @return the answer
     */
    @GetMapping(path = "/ask", produces = "text/plain")
    public String ask(@RequestParam String question) {
        return chat.prompt().user(question).call().content();
    }
}
