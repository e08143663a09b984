package dev.wif4j.testkit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one writer of the emulators' OAuth 2.0 error answers (RFC 6749 §5.2). */
class OAuthErrorTest {

    @Test
    void writesTheTwoStandardFieldsFirstThenTheExtrasInOrder() {
        assertEquals("{\"error\":\"invalid_client\",\"error_description\":\"no\",\"error_codes\":[700027],"
                + "\"trace_id\":\"t\",\"retry\":false}", OAuthError.of("invalid_client", "no")
                .with("error_codes", List.of(700027)).with("trace_id", "t").with("retry", false).json());
    }

    @Test
    void escapesWhatJsonMustSoADescriptionCannotBreakOutOfItsString() throws Exception {
        String hostile = "quote \" backslash \\ CR\r LF\n tab\t nul\u0000 bell\u0007 é 🙂 </script>";
        String json = OAuthError.of("invalid_request", hostile).with("x\"y", hostile).json();
        JsonNode parsed = new ObjectMapper().readTree(json);
        assertEquals(hostile, parsed.get("error_description").asText());
        assertEquals(hostile, parsed.get("x\"y").asText());
        assertEquals(3, parsed.size());
        // Control characters are escaped, not sent raw: the answer is one line a client can log safely.
        assertEquals(-1, json.indexOf('\r'));
        assertEquals(-1, json.indexOf('\n'));
        assertEquals(-1, json.indexOf('\u0000'));
    }
}
