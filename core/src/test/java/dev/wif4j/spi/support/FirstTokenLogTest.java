package dev.wif4j.spi.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.wif4j.spi.IdentityToken;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The first token's rule-relevant claims, described once, escaped, never the JWT. */
class FirstTokenLogTest {

    private static IdentityToken token(String claims) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return IdentityToken.parse(b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".c2lnbmF0dXJl");
    }

    @Test
    void theLineNamesTheRuleClaimsTheChosenOnesAndTheAdvice() {
        FirstTokenLog described = FirstTokenLog.of(new MapContext(), FirstTokenLogTest.class, "Vault identity token",
                List.of("namespace", "absent", "google"), t -> "A narrow rule pins subject_prefix to "
                        + t.subject().orElse("?") + ".");
        IdentityToken token = token("{\"iss\":\"https://vault.example/v1/identity/oidc\",\"sub\":\"entity-1\","
                + "\"aud\":\"https://api.anthropic.com\",\"namespace\":\"admin\",\"google\":{\"zone\":\"z\"}}");
        assertEquals("Vault identity token: iss=https://vault.example/v1/identity/oidc, sub=entity-1, "
                + "aud=[https://api.anthropic.com], namespace=admin, google={zone=z}. A narrow rule pins "
                + "subject_prefix to entity-1.", described.line(token));
    }

    @Test
    void onlyTheFirstTokenIsDescribed() {
        // The line is built only when it is logged (INFO is on by default), so the advice counts the lines.
        List<String> advised = new ArrayList<>();
        FirstTokenLog described = FirstTokenLog.of(new MapContext(), FirstTokenLogTest.class, "Token", List.of(),
                t -> {
                    advised.add(t.subject().orElseThrow());
                    return "";
                });
        IdentityToken first = token("{\"sub\":\"first\"}");
        assertSame(first, described.once(first));
        described.once(token("{\"sub\":\"second\"}"));
        assertEquals(List.of("first"), advised);
    }

    @Test
    void claimsAreEscapedAndTheJwtNeverShown() {
        IdentityToken forged = token("{\"iss\":\"https://evil\\n[INFO] forged line\",\"sub\":\"x\"}");
        String line = FirstTokenLog.of(new MapContext(), FirstTokenLogTest.class, "Token", List.of(), t -> "")
                .line(forged);
        assertEquals("Token: iss=https://evil\\n[INFO] forged line, sub=x, aud=[].", line);
        assertFalse(line.contains(forged.serialized()));
    }
}
