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
 * Starts {@link AskClaude} in a JVM of its own, with only its runtime class path, an empty environment and the
 * federation settings as Spring properties (the identity token in a file), against testkit's emulators on
 * 127.0.0.1.
 */
class AskClaudeTest {

    private static final String ANSWER = "Hello from the Anthropic emulator.";

    @Test
    void chatClientAsksThroughWorkloadIdentity(@TempDir Path dir) throws Exception {
        try (OidcIssuer idp = OidcIssuer.start(); AnthropicEmulator anthropic = AnthropicEmulator.start()) {
            String subject = "system:serviceaccount:shop:checkout";
            String ruleId = anthropic.trust(idp, subject);
            Path tokenFile = Files.writeString(dir.resolve("token"), idp.mint().subject(subject).sign());

            BuiltProgram.Run run = BuiltProgram.of(AskClaude.class.getName()).in(dir)
                    .env("AWS_EC2_METADATA_DISABLED", "true").run(
                    "--wif4j.federation-rule-id=" + ruleId,
                    "--wif4j.organization-id=" + anthropic.organizationId(),
                    "--wif4j.base-url=" + anthropic.baseUrl(),
                    "--wif4j.provider=file",
                    "--wif4j.settings.file.path=" + tokenFile,
                    "--spring.ai.anthropic.base-url=" + anthropic.baseUrl(),
                    "--spring.ai.anthropic.max-retries=0",
                    "Hello", "Hello again");

            assertEquals(0, run.exit(), run.output() + "\nemulator: " + anthropic.history());
            // Spring's log shares stdout; the answers are the lines the runner printed.
            assertEquals(2, run.stdout().lines().filter(ANSWER::equals).count(), run.output());
            assertEquals(1, anthropic.exchangeRequests(), "one exchange serves both calls");
            List<RecordedRequest> calls = anthropic.messageRequests();
            assertEquals(2, calls.size(), calls.toString());
            for (RecordedRequest call : calls) {
                assertTrue(call.header("Authorization").orElseThrow().startsWith("Bearer sk-ant-oat01-"),
                        call.toString());
                assertTrue(call.header("x-api-key").isEmpty(), call.toString());
            }
        }
    }

    @Test
    void oneJackson2VersionOnTheRuntimeClassPath() {
        // Only Jackson 2's own three artifacts: Spring Boot 4's Jackson 3 (tools.jackson) is another library.
        assertEquals(Optional.empty(), RuntimeClassPath.ofBuild().mixedJackson("com.fasterxml.jackson.core"));
    }
}
