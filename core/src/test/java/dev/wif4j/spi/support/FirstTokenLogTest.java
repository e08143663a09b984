package dev.wif4j.spi.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.wif4j.spi.IdentityToken;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The first token's rule-relevant claims, described once at INFO, escaped, never the JWT. */
class FirstTokenLogTest {

    private static IdentityToken token(String claims) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return IdentityToken.parse(b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".c2lnbmF0dXJl");
    }

    @Test
    void describesTheFirstTokenOnceWithTheNamedClaimsAndTheAdvice() {
        MapContext context = new MapContext().captureLogs();
        FirstTokenLog described = FirstTokenLog.of(context, FirstTokenLogTest.class, "Vault identity token",
                List.of("namespace", "absent", "google"), t -> "A narrow rule pins subject_prefix to "
                        + t.subject().orElse("?") + ".");
        IdentityToken first = token("{\"iss\":\"https://vault.example/v1/identity/oidc\",\"sub\":\"entity-1\","
                + "\"aud\":\"https://api.anthropic.com\",\"namespace\":\"admin\",\"google\":{\"zone\":\"z\"}}");
        assertSame(first, described.once(first));
        described.once(token("{\"iss\":\"https://other\",\"sub\":\"entity-2\"}"));
        assertEquals(List.of("INFO Vault identity token: iss=https://vault.example/v1/identity/oidc, sub=entity-1, "
                + "aud=[https://api.anthropic.com], namespace=admin, google={zone=z}. A narrow rule pins "
                + "subject_prefix to entity-1."), context.logged());
    }

    @Test
    void claimsAreEscapedAndTheJwtNeverShown() {
        MapContext context = new MapContext().captureLogs();
        IdentityToken forged = token("{\"iss\":\"https://evil\\n[INFO] forged line\",\"sub\":\"x\"}");
        FirstTokenLog.of(context, FirstTokenLogTest.class, "Token", List.of(), t -> "").once(forged);
        String line = context.logged().get(0);
        assertEquals("INFO Token: iss=https://evil\\n[INFO] forged line, sub=x, aud=[].", line);
        assertFalse(line.contains(forged.serialized()));
    }
}
