package com.example.ask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.testsupport.BuiltProgram;
import com.example.testsupport.RuntimeClassPath;
import com.fasterxml.jackson.core.Version;
import dev.wif4j.testkit.AnthropicEmulator;
import dev.wif4j.testkit.OidcIssuer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts {@link AskClaude} in a JVM of its own, with only its runtime class path and the environment a
 * workload has (a token file, the rule, the organization), against testkit's emulators on 127.0.0.1.
 */
class AskClaudeTest {

    /**
     * Databind X.Y needs a jackson-core X.Y or newer (an older one fails at the first write with a
     * NoSuchMethodError); a newer core is harmless. Checked first, so that a failure names the versions Maven
     * chose rather than a missing method. This class path holds the versions the program's runtime class path
     * does: Maven resolves one Jackson for both.
     */
    @BeforeAll
    static void jacksonCoreAtLeastAsNewAsDatabind() {
        Version core = com.fasterxml.jackson.core.json.PackageVersion.VERSION;
        Version databind = com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION;
        String versions = "jackson-core " + core + " beside jackson-databind " + databind;
        System.out.println(versions);
        boolean newEnough = core.getMajorVersion() > databind.getMajorVersion()
                || core.getMajorVersion() == databind.getMajorVersion()
                        && core.getMinorVersion() >= databind.getMinorVersion();
        assertTrue(newEnough, versions + ": databind needs a jackson-core at least as new as itself");
        Map<String, String> runtime = RuntimeClassPath.ofBuild().versions("com.fasterxml.jackson");
        assertEquals(Map.of("jackson-core", core.toString(), "jackson-databind", databind.toString()),
                Map.of("jackson-core", runtime.get("jackson-core"), "jackson-databind", runtime.get("jackson-databind")),
                "the program's runtime class path: " + runtime);
    }

    @Test
    void asksThroughWorkloadIdentity(@TempDir Path dir) throws Exception {
        try (OidcIssuer idp = OidcIssuer.start(); AnthropicEmulator anthropic = AnthropicEmulator.start()) {
            BuiltProgram.Run run = BuiltProgram.of(AskClaude.class.getName()).in(dir)
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
    void wif4jCoreAddsOnlyJacksonCore() {
        // wif4j-core reads JSON with the streaming API: beside the application's databind (and its annotations)
        // it brings jackson-core alone.
        assertEquals(Set.of("jackson-annotations", "jackson-core", "jackson-databind"),
                RuntimeClassPath.ofBuild().versions("com.fasterxml.jackson").keySet());
    }
}
