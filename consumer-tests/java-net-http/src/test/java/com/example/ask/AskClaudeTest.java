package com.example.ask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.testkit.AnthropicEmulator;
import dev.wif4j.testkit.OidcIssuer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts {@link AskClaude} in a JVM of its own, with only its runtime class path and the environment a
 * workload has (a token file, the rule, the organization), against testkit's emulators on 127.0.0.1.
 */
class AskClaudeTest {

    private static final Pattern JACKSON_JAR = Pattern.compile(
            "/com/fasterxml/jackson/[^/]+(?:/[^/]+)*/([^/]+)/([^/]+)/\\1-\\2\\.jar$");

    @TempDir
    Path dir;

    @Test
    void asksThroughWorkloadIdentity() throws Exception {
        try (OidcIssuer idp = OidcIssuer.start(); AnthropicEmulator anthropic = AnthropicEmulator.start()) {
            String subject = "system:serviceaccount:shop:checkout";
            String ruleId = anthropic.trust(idp, subject);
            Path tokenFile = dir.resolve("token");
            Files.writeString(tokenFile, idp.mint().subject(subject).sign());

            Run run = runProgram(Map.of(
                    "ANTHROPIC_FEDERATION_RULE_ID", ruleId,
                    "ANTHROPIC_ORGANIZATION_ID", anthropic.organizationId(),
                    "ANTHROPIC_BASE_URL", anthropic.baseUrl(),
                    "ANTHROPIC_IDENTITY_TOKEN_FILE", tokenFile.toString()), "Hello", "Hello again");

            assertEquals(0, run.exit(), run.output() + "\nemulator: " + anthropic.history());
            assertEquals("200 Hello from the Anthropic emulator.\n200 Hello from the Anthropic emulator.\n", run.stdout(),
                    run.output());
            assertEquals(1, anthropic.exchangeRequests(), "one exchange serves both calls");
            assertEquals(2, anthropic.messageRequests().size());
            assertTrue(run.stderr().contains("identity provider: file"), run.output());
            anthropic.messageRequests().forEach(request -> assertTrue(
                    request.header("Authorization").orElseThrow().startsWith("Bearer sk-ant-oat01-")));
        }
    }

    @Test
    void jacksonCoreAloneOnTheRuntimeClassPath() throws IOException {
        Map<String, String> versions = new TreeMap<>();
        for (String entry : runtimeClassPath()) {
            Matcher jar = JACKSON_JAR.matcher(entry.replace('\\', '/'));
            if (jar.find()) {
                versions.put(jar.group(1), jar.group(2));
            }
        }
        // wif4j-core reads JSON with the streaming API: no databind, no annotations, one Jackson jar.
        assertEquals(java.util.Set.of("jackson-core"), versions.keySet(), versions.toString());
    }

    private static List<String> runtimeClassPath() throws IOException {
        String file = System.getProperty("runtime.classpath.file");
        return List.of(Files.readString(Path.of(file)).trim().split(java.io.File.pathSeparator));
    }

    private Run runProgram(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.home=" + dir, "-Djava.net.preferIPv4Stack=true",
                "-cp", System.getProperty("program.classes") + java.io.File.pathSeparator
                        + String.join(java.io.File.pathSeparator, runtimeClassPath()),
                AskClaude.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().clear();   // only what a workload would have, nothing from this machine
        builder.environment().putAll(env);
        builder.environment().put("ANTHROPIC_CONFIG_DIR", dir.resolve("config").toString());
        builder.redirectError(dir.resolve("stderr").toFile());
        Process process = builder.start();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return new Run(process.exitValue(), stdout, Files.readString(dir.resolve("stderr")));
    }

    private record Run(int exit, String stdout, String stderr) {
        String output() {
            return "stdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }
}
