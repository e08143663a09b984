package dev.wif4j.spi.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** A token service's answer read on core's jackson-core: fields, nested fields, and errors that never quote it. */
class JsonAnswerTest {
    private static final String UPSTREAM = "Vault at https://vault.example:8200";
    /** Shaped like no known secret, so only this test's own check can find it in a message. */
    private static final String SECRET = "hvs" + ".CAESIsecretsecretsecret";

    private static JsonAnswer parse(String json) {
        return JsonAnswer.parse(json.getBytes(StandardCharsets.UTF_8), UPSTREAM);
    }

    private static JsonAnswerException refused(String json) {
        return assertThrows(JsonAnswerException.class, () -> parse(json));
    }

    @Test
    void readsFieldsNestedFieldsNumbersAndStringLists() {
        JsonAnswer answer = parse("{\"data\":{\"token\":\"eyJ.x.y\",\"ttl\":3600},\"errors\":[\"permission denied\",7,"
                + "\"second\"],\"expires_in\":3600.0,\"scope\":\" \"}");
        assertEquals("eyJ.x.y", answer.requireString("data", "token"));
        assertEquals(3600, answer.requireNumber("data", "ttl"));
        assertEquals(OptionalLong.of(3600), answer.number("expires_in"));
        assertEquals(List.of("permission denied", "second"), answer.strings("errors"));
        assertEquals(Optional.empty(), answer.string("scope"), "blank counts as absent");
        assertEquals(Optional.empty(), answer.string("data"), "an object is not a string");
        assertEquals("eyJ.x.y", answer.object("data").orElseThrow().requireString("token"));
        assertTrue(answer.has("data", "ttl"));
        assertFalse(answer.has("data", "token", "deeper"));
        assertEquals(List.of("data", "errors", "expires_in", "scope"), List.copyOf(answer.fields()));
        assertEquals(List.of(), answer.strings("absent"));
    }

    @Test
    void aMissingOrMistypedFieldIsNamedAndItsValueNeverQuoted() {
        JsonAnswer answer = parse("{\"data\":{\"token\":42,\"other\":\"" + SECRET + "\"},\"value\":\"" + SECRET
                + "\"}");
        JsonAnswerException wrong = assertThrows(JsonAnswerException.class, () -> answer.requireString("data", "token"));
        assertEquals(JsonAnswerException.Kind.WRONG_TYPE, wrong.kind());
        assertEquals("data.token", wrong.field());
        assertEquals("data.token holds a number, not a string", wrong.detail());
        assertEquals(UPSTREAM + " answered with data.token holding a number, not a string.", wrong.getMessage());
        JsonAnswerException missing = assertThrows(JsonAnswerException.class, () -> answer.requireString("token"));
        assertEquals(JsonAnswerException.Kind.MISSING, missing.kind());
        assertEquals(UPSTREAM + " answered without token.", missing.getMessage());
        JsonAnswerException notNumber = assertThrows(JsonAnswerException.class, () -> answer.requireNumber("value"));
        assertFalse(notNumber.getMessage().contains(SECRET), notNumber.getMessage());
        assertFalse(answer.toString().contains(SECRET), answer.toString());
        assertFalse(wrong.isRetryable());
    }

    @Test
    void bodiesThatAreNotOneObjectAreRefusedWithoutAWordOfThem() {
        JsonAnswerException html = refused("<html>" + SECRET + "</html>");
        assertEquals(JsonAnswerException.Kind.NOT_JSON, html.kind());
        assertTrue(html.getMessage().startsWith(UPSTREAM + " answered with a body that is not JSON ("), html.getMessage());
        assertFalse(html.getMessage().contains(SECRET), html.getMessage());
        assertTrue(html.detail().matches("an unexpected character or word at line 1, column \\d+"), html.detail());
        // Jackson's own message would quote the unknown word; the answer's never does.
        JsonAnswerException word = refused("{\"token\": " + SECRET + "}");
        assertFalse(word.getMessage().contains(SECRET), word.getMessage());
        assertEquals(JsonAnswerException.Kind.NOT_AN_OBJECT, refused("[\"" + SECRET + "\"]").kind());
        assertEquals(UPSTREAM + " answered with a JSON array, not an object (" + (SECRET.length() + 4) + " bytes).",
                refused("[\"" + SECRET + "\"]").getMessage());
        JsonAnswerException twice = refused("{\"token\":\"a\",\"token\":\"" + SECRET + "\"}");
        assertEquals(JsonAnswerException.Kind.REPEATED_KEY, twice.kind());
        assertFalse(twice.getMessage().contains(SECRET));
        assertEquals(JsonAnswerException.Kind.NOT_JSON, refused("{\"a\":1} trailing").kind());
        assertEquals(JsonAnswerException.Kind.NOT_AN_OBJECT, refused("").kind());
    }

    @Test
    void numbersMustBeWholeAndWithinALong() {
        JsonAnswer answer = parse("{\"half\":1.5,\"huge\":123456789012345678901234567890,\"neg\":-5,\"text\":\"60\"}");
        assertEquals(OptionalLong.empty(), answer.number("half"));
        assertEquals(OptionalLong.empty(), answer.number("huge"));
        assertEquals(OptionalLong.empty(), answer.number("text"));
        assertEquals(-5, answer.requireNumber("neg"));
        assertEquals(JsonAnswerException.Kind.WRONG_TYPE,
                assertThrows(JsonAnswerException.class, () -> answer.requireNumber("huge")).kind());
    }
}
