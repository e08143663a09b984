package com.example.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.testsupport.BuiltProgram;
import com.example.testsupport.RuntimeClassPath;
import dev.wif4j.testkit.AnthropicEmulator;
import dev.wif4j.testkit.OidcIssuer;
import dev.wif4j.testkit.RecordedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts {@link ChatWithClaude} in a JVM of its own, with only its runtime class path and the environment a
 * workload has (a token file, the rule, the organization), against testkit's emulators on 127.0.0.1.
 */
class ChatWithClaudeTest {
    private static final String ANSWER = "Hello from the Anthropic emulator.";

    @Test
    void chatsThroughWorkloadIdentity(@TempDir Path dir) throws Exception {
        try (OidcIssuer idp = OidcIssuer.start(); AnthropicEmulator anthropic = AnthropicEmulator.start()) {
            String subject = "system:serviceaccount:shop:checkout";
            Path tokenFile = Files.writeString(dir.resolve("token"), idp.mint().subject(subject).sign());

            // Only the variables the README sets.
            BuiltProgram.Run run = BuiltProgram.of(ChatWithClaude.class.getName()).in(dir).env(anthropic.environment())
                    .env("ANTHROPIC_FEDERATION_RULE_ID", anthropic.trust(idp, subject))
                    .env("ANTHROPIC_IDENTITY_TOKEN_FILE", tokenFile.toString())
                    .run("Hello", "Hello again");

            assertEquals(0, run.exit(), run.output() + "\nemulator: " + anthropic.history());
            assertEquals(ANSWER + "\n" + ANSWER + "\nstreamed: " + ANSWER + "\n", run.stdout(), run.output());
            assertEquals(1, anthropic.exchangeRequests(), "one exchange serves every call");
            List<RecordedRequest> calls = anthropic.messageRequests();
            assertEquals(3, calls.size(), "two blocking calls and a streamed one: " + calls);
            assertTrue(calls.get(2).body().replace(" ", "").contains("\"stream\":true"), calls.get(2).body());
            for (RecordedRequest call : calls) {
                assertTrue(call.header("Authorization").orElseThrow().startsWith("Bearer sk-ant-oat01-"),
                        call.toString());
                assertTrue(call.header("anthropic-beta").orElseThrow().contains("oauth-2025-04-20"), call.toString());
                assertTrue(call.header("x-api-key").isEmpty(), "no x-api-key: " + call.headers());
            }
        }
    }

    @Test
    void oneJacksonVersionOnTheRuntimeClassPath() {
        assertEquals(Optional.empty(), RuntimeClassPath.ofBuild().mixedJackson("com.fasterxml.jackson"));
    }
}
