package dev.wif4j.internal.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.wif4j.spi.IdentityToken;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The {@code jti}s a process has sent, which a denial's hint names when one is sent twice, stay bounded. */
class RejectionDiagnosisTest {
    private static IdentityToken token(String jti) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return IdentityToken.parse(b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(("{\"jti\":\"" + jti + "\"}").getBytes(StandardCharsets.UTF_8)) + ".c2ln");
    }

    @Test
    void aJtiSentAgainIsRecognisedAndTheOldestIsForgottenPastTheBound() {
        RejectionDiagnosis diagnosis = new RejectionDiagnosis();
        Instant first = Instant.parse("2026-12-07T00:00:00Z");
        for (int i = 0; i < 256; i++) {
            assertNull(diagnosis.recordSent(token("j" + i), first.plusSeconds(i)));
        }
        assertEquals(first.plusSeconds(5), diagnosis.recordSent(token("j5"), first.plusSeconds(999)),
                "sent before, at its first time");
        assertNull(diagnosis.recordSent(token("j256"), first.plusSeconds(256)), "a new one");
        assertNull(diagnosis.recordSent(token("j0"), first.plusSeconds(257)), "the oldest made room for it");
        assertEquals(first.plusSeconds(2), diagnosis.recordSent(token("j2"), first.plusSeconds(258)),
                "the rest are still remembered");
    }
}
