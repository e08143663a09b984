package com.example.ask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.testsupport.BuiltProgram;
import com.example.testsupport.RuntimeClassPath;
import dev.wif4j.testkit.AnthropicEmulator;
import dev.wif4j.testkit.OidcIssuer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
            String serviceAccount = "system:serviceaccount:shop:checkout";
            // Where the pod spec mounts the projected serviceAccountToken volume.
            Path projected = Files.createDirectories(dir.resolve("var/run/secrets/anthropic.com")).resolve("token");
            Files.writeString(projected, idp.mint().subject(serviceAccount).sign());
            Map<String, String> pod = new LinkedHashMap<>(anthropic.environment());
            pod.put("ANTHROPIC_FEDERATION_RULE_ID", anthropic.trust(idp, serviceAccount));
            pod.put("WIF4J_K8S_TOKEN_PATH", projected.toString());

            BuiltProgram.Run run = BuiltProgram.of(AskClaude.class.getName()).in(dir).env(pod).run("Hello", "Hello again");

            assertEquals(0, run.exit(), run.output() + "\nemulator: " + anthropic.history());
            assertTrue(run.stderr().contains("identity provider: k8s"), run.output());
            assertEquals(List.of("200 Hello from the Anthropic emulator.", "200 Hello from the Anthropic emulator."),
                    run.stdout().lines().toList(), run.output());
            assertEquals(1, anthropic.exchangeRequests(), "one exchange serves both calls");
            assertEquals(List.of(true, true), anthropic.messageRequests().stream()
                    .map(call -> call.header("Authorization").orElseThrow().startsWith("Bearer sk-ant-oat01-")).toList());
        }
    }

    /**
     * wif4j-provider-k8s declares jackson-core (Fabric8 8 brings none), at the project's Jackson, beside Fabric8 7.x's
     * databind, yaml and jsr310 modules (2.19 to 2.21): each Jackson 2 module X.Y needs a jackson-core X.Y or newer
     * (an older one fails with NoSuchMethodError), and a newer core is harmless. A failure names every version.
     */
    @Test
    void jacksonCoreAtLeastAsNewAsEveryJacksonModule() {
        Map<String, String> versions = RuntimeClassPath.ofBuild().versions("com.fasterxml.jackson");
        String core = versions.get("jackson-core");
        assertTrue(core != null, "no jackson-core on the runtime class path: " + versions);
        versions.forEach((artifact, version) -> assertTrue(artifact.equals("jackson-annotations")
                || minor(core) >= minor(version), "jackson-core " + core + " is older than " + artifact + " "
                + version + " on the runtime class path: " + versions));
    }

    /** 2.19.2 as 2019: major and minor, which is what a Jackson module's needs are about. */
    private static int minor(String version) {
        String[] parts = version.split("\\.");
        return Integer.parseInt(parts[0]) * 1000 + Integer.parseInt(parts[1]);
    }
}
