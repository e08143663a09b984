package com.example.ask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.testkit.AnthropicEmulator;
import dev.wif4j.testkit.OidcIssuer;
import dev.wif4j.testkit.RecordedRequest;
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
 * Starts {@link AskClaude} in a JVM of its own, with only its runtime class path, an empty environment and the
 * federation settings as Spring properties (the identity token in a file), against testkit's emulators on
 * 127.0.0.1.
 */
class AskClaudeTest {

    private static final String ANSWER = "Hello from the Anthropic emulator.";

    // Only Jackson 2's own three artifacts: Spring Boot 4's Jackson 3 (tools.jackson) is another library.
    private static final Pattern JACKSON_JAR = Pattern.compile(
            "/com/fasterxml/jackson/core/([^/]+)/([^/]+)/\\1-\\2\\.jar$");

    @TempDir
    Path dir;

    @Test
    void chatClientAsksThroughWorkloadIdentity() throws Exception {
        try (OidcIssuer idp = OidcIssuer.start(); AnthropicEmulator anthropic = AnthropicEmulator.start()) {
            String subject = "system:serviceaccount:shop:checkout";
            String ruleId = anthropic.trust(idp, subject);
            Path tokenFile = dir.resolve("token");
            Files.writeString(tokenFile, idp.mint().subject(subject).sign());

            Run run = runApplication(
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
    void oneJackson2VersionOnTheRuntimeClassPath() throws IOException {
        Map<String, String> versions = new TreeMap<>();
        for (String entry : runtimeClassPath()) {
            Matcher jar = JACKSON_JAR.matcher(entry.replace('\\', '/'));
            if (jar.find()) {
                versions.put(jar.group(1), jar.group(2));
            }
        }
        assertTrue(versions.containsKey("jackson-databind"), versions.toString());
        String databind = versions.get("jackson-databind");
        String minor = databind.substring(0, databind.indexOf('.', 2));
        // jackson-annotations is versioned 2.N (no patch) since 2.20; everything else exactly as databind.
        versions.forEach((artifact, version) -> assertTrue(
                version.equals(databind) || artifact.equals("jackson-annotations") && version.equals(minor),
                "mixed Jackson versions on the runtime class path: " + versions));
    }

    private static List<String> runtimeClassPath() throws IOException {
        String file = System.getProperty("runtime.classpath.file");
        return List.of(Files.readString(Path.of(file)).trim().split(java.io.File.pathSeparator));
    }

    private Run runApplication(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.home=" + dir, "-Djava.net.preferIPv4Stack=true",
                "-cp", System.getProperty("program.classes") + java.io.File.pathSeparator
                        + String.join(java.io.File.pathSeparator, runtimeClassPath()),
                AskClaude.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().clear();   // nothing from this machine: the settings are the properties above
        builder.environment().put("ANTHROPIC_CONFIG_DIR", dir.resolve("config").toString());
        builder.environment().put("AWS_EC2_METADATA_DISABLED", "true");
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
