package dev.wif4j.spi;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the JWT decoder behind {@link IdentityToken#parse}: any text either parses into a token whose
 * accessors and {@code toString()} work, or fails with an {@link IdentityTokenException} whose message
 * does not repeat the input. Anything else (another exception, a hang) is a bug.
 *
 * <p>Under {@code ./mvnw verify} this runs the committed corpus in
 * {@code src/test/resources/dev/wif4j/spi/IdentityTokenFuzzTestInputs/parse/}; with
 * {@code JAZZER_FUZZ=1} it fuzzes for {@code maxDuration} (see docs/RELIABILITY.md).
 */
class IdentityTokenFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void parse(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        IdentityToken token;
        try {
            token = IdentityToken.parse(text);
        } catch (IdentityTokenException e) {
            assertNotNull(e.getMessage());
            if (text.length() >= 24) {
                assertFalse(e.getMessage().contains(text), "the message repeats the input");
            }
            return;
        }
        token.algorithm();
        token.keyId();
        token.issuer();
        token.subject();
        token.audience();
        token.expiresAt();
        token.issuedAt();
        token.notBefore();
        token.jwtId();
        assertFalse(token.toString().contains(text), "toString shows the JWT");
        token.hashCode();
    }
}
