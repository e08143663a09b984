package com.example.ask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.testkit.AnthropicEmulator;
import dev.wif4j.testkit.ChildProgram;
import dev.wif4j.testkit.OidcIssuer;
import dev.wif4j.testkit.RuntimeClassPath;
import java.nio.file.Path;
import java.util.Set;
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
            ChildProgram.Run run = ChildProgram.ofBuild(AskClaude.class.getName()).in(dir)
                    .env(anthropic.tokenFileEnvironment(idp, "system:serviceaccount:shop:checkout", dir.resolve("token")))
                    .run("Hello", "Hello again");

            assertEquals(0, run.exit(), run.output() + "\nemulator: " + anthropic.history());
            assertTrue(run.stderr().contains("identity provider: file"), run.output());
            assertEquals("200 Hello from the Anthropic emulator.\n200 Hello from the Anthropic emulator.\n", run.stdout(),
                    run.output());
            assertEquals(1, anthropic.exchangeRequests(), "one exchange serves both calls");
            assertEquals(2, anthropic.messageRequests().size());
            anthropic.messageRequests().forEach(request -> assertTrue(
                    request.header("Authorization").orElseThrow().startsWith("Bearer sk-ant-oat01-")));
        }
    }

    @Test
    void jacksonCoreAloneOnTheRuntimeClassPath() {
        // wif4j-core reads JSON with the streaming API: no databind, no annotations, one Jackson jar.
        assertEquals(Set.of("jackson-core"), RuntimeClassPath.ofBuild().versions("com.fasterxml.jackson").keySet());
    }
}
