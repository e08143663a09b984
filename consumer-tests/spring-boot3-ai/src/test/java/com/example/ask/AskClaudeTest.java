package com.example.ask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.testkit.AnthropicEmulator;
import dev.wif4j.testkit.OidcIssuer;
import dev.wif4j.testkit.RecordedRequest;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Runs {@link AskClaude} with two questions, with the federation settings as Spring properties (the identity token
 * in a file), against testkit's emulators on 127.0.0.1; then streams a third answer through the same ChatClient.
 */
@SpringBootTest(args = {"Hello", "Hello again"})
@ExtendWith(OutputCaptureExtension.class)
class AskClaudeTest {
    private static final String ANSWER = "Hello from the Anthropic emulator.";
    private static final String SUBJECT = "system:serviceaccount:shop:checkout";
    private static final OidcIssuer IDP = OidcIssuer.start();
    private static final AnthropicEmulator ANTHROPIC = AnthropicEmulator.start();

    @DynamicPropertySource
    static void federation(DynamicPropertyRegistry registry) throws IOException {
        String ruleId = ANTHROPIC.trust(IDP, SUBJECT);
        Path tokenFile = Files.createTempFile("token", ".jwt");
        Files.writeString(tokenFile, IDP.mint().subject(SUBJECT).sign());
        tokenFile.toFile().deleteOnExit();
        registry.add("wif4j.federation-rule-id", () -> ruleId);
        registry.add("wif4j.organization-id", ANTHROPIC::organizationId);
        registry.add("wif4j.base-url", ANTHROPIC::baseUrl);
        registry.add("wif4j.provider", () -> "file");
        registry.add("wif4j.settings.file.path", tokenFile::toString);
        registry.add("spring.ai.anthropic.base-url", ANTHROPIC::baseUrl);
        registry.add("spring.ai.retry.max-attempts", () -> "1");
    }

    @AfterAll
    static void stop() {
        ANTHROPIC.close();
        IDP.close();
    }

    @Autowired
    ChatClient.Builder chat;

    private static void assertBearerOnly(List<RecordedRequest> calls) {
        for (RecordedRequest call : calls) {
            assertTrue(call.header("Authorization").orElseThrow().startsWith("Bearer sk-ant-oat01-"), call.toString());
            assertTrue(call.header("anthropic-beta").orElseThrow().contains("oauth-2025-04-20"), call.toString());
            assertTrue(call.header("x-api-key").isEmpty(), call.toString());
        }
    }

    @Test
    void chatClientAsksThroughWorkloadIdentity(CapturedOutput output) {
        // The application's runner asked both questions at start-up.
        assertEquals(2, output.getOut().lines().filter(ANSWER::equals).count(), output.getOut());
        List<RecordedRequest> calls = ANTHROPIC.messageRequests();
        assertEquals(2, calls.size(), calls.toString());
        assertBearerOnly(calls);
        assertEquals(1, ANTHROPIC.exchangeRequests(), "one exchange serves both calls");

        String streamed = String.join("", chat.build().prompt().user("Stream it").stream().content()
                .collectList().block());
        assertEquals(ANSWER, streamed);
        calls = ANTHROPIC.messageRequests();
        assertEquals(3, calls.size(), calls.toString());
        assertTrue(calls.get(2).body().contains("\"stream\":true"), calls.get(2).toString());
        assertBearerOnly(calls);
        assertEquals(1, ANTHROPIC.exchangeRequests(), "the streamed call reuses the token");
    }

    @Test
    void oneJacksonVersionOnTheRuntimeClassPath() throws IOException {
        // From the runtime class path Maven resolved: the version of each com.fasterxml.jackson.core artifact.
        Map<String, String> versions = new TreeMap<>();
        for (String entry : Files.readString(Path.of(System.getProperty("runtime.classpath.file"))).trim()
                .split(File.pathSeparator)) {
            Path jar = Path.of(entry);
            Path group = jar.getParent().getParent().getParent();
            if (group.endsWith(Path.of("com", "fasterxml", "jackson", "core"))) {
                versions.put(jar.getParent().getParent().getFileName().toString(),
                        jar.getParent().getFileName().toString());
            }
        }
        String databind = versions.get("jackson-databind");
        assertTrue(databind != null, versions.toString());
        String minor = databind.substring(0, databind.indexOf('.', databind.indexOf('.') + 1));
        versions.forEach((artifact, version) -> assertTrue(version.equals(databind)
                || artifact.equals("jackson-annotations") && version.equals(minor), "mixed Jackson: " + versions));
    }
}
