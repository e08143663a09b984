package dev.wif4j.spi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.core.json.PackageVersion;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Core's streaming JSON gives the values databind's untyped reading gave, and refuses what it refused. */
class JsonTest {
    private static Object parse(String json, boolean strict) throws Exception {
        return Json.parse(json.getBytes(StandardCharsets.UTF_8), strict);
    }

    @Test
    @DisplayName("objects, arrays and scalars become maps, lists, strings, longs, doubles and booleans")
    void values() throws Exception {
        Object value = parse("{\"s\":\"x\",\"i\":3600,\"big\":123456789012345678901234567890,\"d\":1.5,"
                + "\"t\":true,\"n\":null,\"a\":[1,\"two\",{\"k\":false}]}", true);
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("s", "x");
        expected.put("i", 3600L);
        expected.put("big", new BigInteger("123456789012345678901234567890"));
        expected.put("d", 1.5);
        expected.put("t", true);
        expected.put("n", null);
        expected.put("a", List.of(1L, "two", Map.of("k", false)));
        assertEquals(expected, value);
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(((Map<?, ?>) value).keySet()), "order kept");
    }

    @Test
    @DisplayName("a repeated key is refused when asked, in databind's words, and the last one wins otherwise")
    void duplicates() throws Exception {
        Json.DuplicateKeyException e = assertThrows(Json.DuplicateKeyException.class,
                () -> parse("{\"a\":{\"x\":1,\"x\":2}}", true));
        assertEquals("Duplicate field 'x'", e.getMessage());
        assertEquals(Map.of("x", 2L), parse("{\"x\":1,\"x\":2}", false));
    }

    @Test
    @DisplayName("not JSON, trailing content and deep nesting are syntax errors; white space alone is no value")
    void refusals() throws Exception {
        for (String bad : List.of("{", "{\"a\":}", "{} {}", "{}x", "'a'", "{\"a\":1,}", "/* c */ {}", "NaN")) {
            assertThrows(Json.SyntaxException.class, () -> parse(bad, false), bad);
        }
        char[] open = new char[Json.MAX_DEPTH + 1];
        Arrays.fill(open, '[');
        assertEquals("not JSON: it exceeds a size or nesting limit",
                assertThrows(Json.SyntaxException.class, () -> parse(new String(open), false)).getMessage());
        String objects = "{\"a\":".repeat(Json.MAX_DEPTH + 1) + "1" + "}".repeat(Json.MAX_DEPTH + 1);
        assertThrows(Json.SyntaxException.class, () -> Json.parseUtf8(objects.getBytes(StandardCharsets.UTF_8), false));
        String deepest = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        assertEquals(1, ((List<?>) parse(deepest, false)).size(), "as deep as allowed");
        assertNull(parse("  \n", false));
        assertNull(parse("null", false));
    }

    @Test
    @DisplayName("a syntax error says what kind and where, never a word of the input, nor keeps Jackson's message")
    void syntaxErrorsNeverQuoteTheInput() {
        Json.SyntaxException e = assertThrows(Json.SyntaxException.class,
                () -> parse("[default]\naws_secret_access_key = CANARYwJalrXUtnFEMI\n", false));
        // The column differs between Jackson versions (where the word starts, or where it ends).
        assertTrue(e.getMessage().matches("not JSON: an unexpected character or word at line 1, column \\d+"),
                e.getMessage());
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains("aws_secret_access_key"), t.toString());
        }
        String eof = assertThrows(Json.SyntaxException.class, () -> parse("{\"k\":\"CANARY", false)).getMessage();
        assertTrue(eof.matches("not JSON: the input ends inside a value at line 1, column \\d+"), eof);
    }

    @Test
    @DisplayName("written back, values are compact JSON with standard escapes")
    void writing() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("q", "a\"b\\c\n\u0001");
        value.put("n", 3L);
        value.put("d", 2.5);
        value.put("l", List.of(true));
        value.put("z", null);
        String text = "{\"q\":\"a\\\"b\\\\c\\n\\u0001\",\"n\":3,\"d\":2.5,\"l\":[true],\"z\":null}";
        assertEquals(text, Json.text(value));
        assertEquals(text, new String(Json.bytes(value), StandardCharsets.UTF_8));
        assertEquals("object array string number boolean null", String.join(" ", Json.kind(Map.of()),
                Json.kind(List.of()), Json.kind("s"), Json.kind(1L), Json.kind(true), Json.kind(null)));
    }

    @Test
    @DisplayName("UTF-8 text reads as the byte reader reads it; other bytes are refused without a word of them")
    void utf8() throws Exception {
        String doc = "{\"s\":\"é \\u00e9 \ud83d\ude00\",\"i\":1,\"a\":[{\"k\":null}]}";
        byte[] bytes = doc.getBytes(StandardCharsets.UTF_8);
        assertEquals(Json.parse(bytes, true), Json.parseUtf8(bytes, true));
        byte[] bom = ("\ufeff" + doc).getBytes(StandardCharsets.UTF_8);
        assertEquals(Json.parse(bom, true), Json.parseUtf8(bom, true), "a byte order mark is skipped, as before");
        assertThrows(Json.DuplicateKeyException.class,
                () -> Json.parseUtf8("{\"x\":1,\"x\":2}".getBytes(StandardCharsets.UTF_8), true));
        byte[] latin1 = "{\"k\":\"CANARY\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        Json.SyntaxException e = assertThrows(Json.SyntaxException.class, () -> Json.parseUtf8(latin1, false));
        assertEquals("not JSON: bytes that are not UTF-8", e.getMessage());
        assertThrows(Json.SyntaxException.class,
                () -> Json.parseUtf8(doc.getBytes(StandardCharsets.UTF_16), false), "UTF-16 is not a JWT's JSON");
        assertThrows(Json.SyntaxException.class,
                () -> Json.parseUtf8("{\"a\":}".getBytes(StandardCharsets.UTF_8), false));
        assertNull(Json.parseUtf8(new byte[0], false));
    }

    @Test
    @DisplayName("the oldest-jackson run (core/pom.xml) is on the jackson-core it names, the oldest core works with")
    void jacksonCoreOfTheRun() {
        String expected = System.getProperty("wif4j.test.jackson-core");
        assumeTrue(expected != null, "only the oldest-jackson run names a jackson-core");
        assertEquals(expected, PackageVersion.VERSION.toString());
    }
}
