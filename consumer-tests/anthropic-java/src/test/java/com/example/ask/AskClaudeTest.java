package com.example.ask;

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
 * Starts {@link AskClaude} in a JVM of its own, with only its runtime class path and the environment a
 * workload has (a token file, the rule, the organization), against testkit's emulators on 127.0.0.1.
 */
class AskClaudeTest {

    @Test
    void asksThroughWorkloadIdentity(@TempDir Path dir) throws Exception {
        try (OidcIssuer idp = OidcIssuer.start(); AnthropicEmulator anthropic = AnthropicEmulator.start()) {
            String subject = "system:serviceaccount:shop:checkout";
            Path tokenFile = Files.writeString(dir.resolve("token"), idp.mint().subject(subject).sign());

            // The federation variables the README sets, one by one; ANTHROPIC_BASE_URL is read by the program itself.
            BuiltProgram.Run run = BuiltProgram.of(AskClaude.class.getName()).in(dir).env(anthropic.environment())
                    .env("ANTHROPIC_FEDERATION_RULE_ID", anthropic.trust(idp, subject))
                    .env("ANTHROPIC_IDENTITY_TOKEN_FILE", tokenFile.toString())
                    .run("Hello", "Hello again");

            assertEquals(0, run.exit(), run.output() + "\nemulator: " + anthropic.history());
            assertEquals("Hello from the Anthropic emulator.\nHello from the Anthropic emulator.\n", run.stdout(),
                    run.output());
            assertEquals(1, anthropic.exchangeRequests(), "one exchange serves both calls");
            List<RecordedRequest> calls = anthropic.messageRequests();
            assertEquals(2, calls.size(), calls.toString());
            calls.forEach(call -> assertTrue(
                    call.header("Authorization").orElseThrow().startsWith("Bearer sk-ant-oat01-"), call.toString()));
        }
    }

    @Test
    void oneJacksonVersionOnTheRuntimeClassPath() {
        assertEquals(Optional.empty(), RuntimeClassPath.ofBuild().mixedJackson("com.fasterxml.jackson"));
    }
}
