package dev.wif4j.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.langchain4j.model.anthropic.AnthropicChatModel;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Each surefire execution runs on the LangChain4j it names (the oldest supported, then the newest tested). */
class LangChain4jVersionTest {

    @Test
    void runsOnTheNamedVersion() throws IOException {
        Properties pom = new Properties();
        try (InputStream in = AnthropicChatModel.class.getResourceAsStream(
                "/META-INF/maven/dev.langchain4j/langchain4j-anthropic/pom.properties")) {
            pom.load(in);
        }
        assertEquals(System.getProperty("wif4j.test.langchain4j"), pom.getProperty("version"));
    }
}
