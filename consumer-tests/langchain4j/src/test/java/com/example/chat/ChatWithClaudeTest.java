package com.example.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.testkit.AnthropicEmulator;
import dev.wif4j.testkit.OidcIssuer;
import dev.wif4j.testkit.RecordedRequest;
import java.io.File;
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
 * Starts {@link ChatWithClaude} in a JVM of its own (plain {@link ProcessBuilder}), with only its runtime class
 * path and the environment a workload has (a token file, the rule, the organization), against testkit's
 * emulators on 127.0.0.1.
 */
class ChatWithClaudeTest {
    private static final String ANSWER = "Hello from the Anthropic emulator.";

    private static List<String> runtimeClassPath() throws Exception {
        String text = Files.readString(Path.of(System.getProperty("runtime.classpath.file"))).trim();
        return text.isEmpty() ? List.of() : List.of(text.split(File.pathSeparator));
    }

    @Test
    void chatsThroughWorkloadIdentity(@TempDir Path dir) throws Exception {
        try (OidcIssuer idp = OidcIssuer.start(); AnthropicEmulator anthropic = AnthropicEmulator.start()) {
            String subject = "system:serviceaccount:shop:checkout";
            Path tokenFile = Files.writeString(dir.resolve("token"), idp.mint().subject(subject).sign());

            List<String> classPath = new ArrayList<>();
            classPath.add(System.getProperty("program.classes"));
            classPath.addAll(runtimeClassPath());
            ProcessBuilder program = new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", String.join(File.pathSeparator, classPath),
                    ChatWithClaude.class.getName(), "Hello", "Hello again")
                    .directory(dir.toFile())
                    .redirectOutput(dir.resolve("output").toFile())
                    .redirectError(dir.resolve("errors").toFile()); // SLF4J's note that it has no provider, say
            // Only the variables the README sets: nothing of this JVM's ANTHROPIC_* or WIF4J_* settings.
            program.environment().keySet().removeIf(k -> k.startsWith("ANTHROPIC_") || k.startsWith("WIF4J_"));
            program.environment().putAll(anthropic.environment());
            program.environment().put("ANTHROPIC_FEDERATION_RULE_ID", anthropic.trust(idp, subject));
            program.environment().put("ANTHROPIC_IDENTITY_TOKEN_FILE", tokenFile.toString());
            Process process = program.start();
            boolean ended = process.waitFor(120, TimeUnit.SECONDS);
            if (!ended) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String output = Files.readString(dir.resolve("output"), StandardCharsets.UTF_8);
            String errors = Files.readString(dir.resolve("errors"), StandardCharsets.UTF_8);
            assertTrue(ended, "the program ended within 120 s: " + output + errors);
            assertEquals(0, process.exitValue(), output + errors + "\nemulator: " + anthropic.history());

            assertEquals(ANSWER + "\n" + ANSWER + "\nstreamed: " + ANSWER + "\n", output, errors);
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
    void oneJacksonVersionOnTheRuntimeClassPath() throws Exception {
        // jackson-databind X.Y.Z needs jackson-core X.Y.Z beside it, and jackson-annotations X.Y (2.20 on) or X.Y.Z.
        Pattern jar = Pattern.compile("(jackson-(?:core|databind|annotations))-(\\d+\\.\\d+(?:\\.\\d+)?)\\.jar");
        Map<String, String> versions = new TreeMap<>();
        for (String entry : runtimeClassPath()) {
            Matcher m = jar.matcher(Path.of(entry).getFileName().toString());
            if (m.matches()) {
                versions.put(m.group(1), m.group(2));
            }
        }
        String databind = versions.get("jackson-databind");
        assertTrue(databind != null, "jackson-databind on the runtime class path: " + versions);
        String minor = databind.substring(0, databind.lastIndexOf('.'));
        assertEquals(databind, versions.get("jackson-core"), versions.toString());
        String annotations = versions.get("jackson-annotations");
        assertTrue(databind.equals(annotations) || minor.equals(annotations), versions.toString());
    }
}
