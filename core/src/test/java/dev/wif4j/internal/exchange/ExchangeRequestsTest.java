package dev.wif4j.internal.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wif4j.FederationSettings;
import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.internal.Json;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The exchange's body is written without Jackson's generator (issue 32), so it is read back here with the strict
 * reader: the fields, their order and every value exactly, whatever characters a value holds.
 */
class ExchangeRequestsTest {
    private static final String JWT = "eyJhbGciOiJub25lIn0.eyJleHAiOjB9.c2lnbmF0dXJl";
    private static final URI BASE = URI.create("https://api.example");

    private static Map<String, Object> body(FederationSettings settings) throws Exception {
        byte[] sent = new ExchangeRequests(settings, "ua").build(IdentityToken.parse(JWT), Duration.ofSeconds(1))
                .body();
        @SuppressWarnings("unchecked")
        Map<String, Object> parsed = (Map<String, Object>) Json.parse(sent, true);
        return parsed;
    }

    @Test
    void carriesTheGrantTheAssertionAndTheIdsInTheDocumentedOrder() throws Exception {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer");
        expected.put("assertion", JWT);
        expected.put("federation_rule_id", "fdrl_01abc");
        expected.put("organization_id", "00000000-0000-0000-0000-000000000001");
        Map<String, Object> minimal = body(new FederationSettings("fdrl_01abc", "00000000-0000-0000-0000-000000000001",
                null, null, BASE, null, "test"));
        assertEquals(expected, minimal);
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(minimal.keySet()));

        expected.put("service_account_id", "svac_01xyz");
        expected.put("workspace_id", "default");
        Map<String, Object> full = body(new FederationSettings("fdrl_01abc", "00000000-0000-0000-0000-000000000001",
                "svac_01xyz", "default", BASE, null, "test"));
        assertEquals(expected, full);
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(full.keySet()));
    }

    @Test
    void anyValueReadsBackAsItWasWhateverItsCharacters() throws Exception {
        List<String> values = new ArrayList<>(List.of("", "a\"b", "back\\slash", "\\\"", "line\nbreak\r\t\b\f",
                "\u0000\u0001\u001f\u007f", "é ü ß 中文 \ud83d\ude00", "</script>", "\u2028\u2029"));
        Random random = new Random(32);
        for (int n = 0; n < 500; n++) {
            StringBuilder s = new StringBuilder();
            for (int i = random.nextInt(12); i > 0; i--) {
                // Mostly ASCII and its control characters, some Latin and CJK; no lone surrogates (not text).
                int pick = random.nextInt(10);
                s.append((char) (pick < 7 ? random.nextInt(0x80) : pick < 9 ? 0xa0 + random.nextInt(0x160)
                        : 0x4e00 + random.nextInt(0x100)));
            }
            values.add(s.toString());
        }
        for (String value : values) {
            StringBuilder json = new StringBuilder("{\"v\":");
            ExchangeRequests.quoted(json, value);
            Object parsed = Json.parse(json.append('}').toString().getBytes(StandardCharsets.UTF_8), true);
            assertEquals(Map.of("v", value), parsed, () -> "value " + Json.text(value));
        }
    }
}
