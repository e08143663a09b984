package dev.wif4j.provider.ci.internal;

import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.support.Text;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Collectors;

/**
 * Parsing and describing the tokens CI systems hand out; no message here ever holds the token itself, and its
 * claims, text its issuer chose, are escaped (a CR or LF in {@code sub} would otherwise forge a line of output).
 */
final class Tokens {
    private Tokens() {
    }

    /**
     * Decodes a token.
     *
     * @param origin where it came from, e.g. {@code ANTHROPIC_ID_TOKEN}
     * @param text the text read there
     * @return the token
     * @throws IdentityTokenException naming the origin when the text is not a JWT
     */
    static IdentityToken parse(String origin, String text) {
        try {
            return IdentityToken.parse(text.strip());
        } catch (IdentityTokenException e) {
            throw new IdentityTokenException(origin + " does not hold a JWT: " + e.getMessage());
        }
    }

    /** @return e.g. {@code iss https://gitlab.com, sub project_path:acme/app:..., aud [https://api.anthropic.com]} */
    static String claims(IdentityToken token) {
        return "iss " + Text.escape(token.issuer().orElse("?")) + ", sub "
                + Text.escape(token.subject().orElse("?")) + ", aud " + audience(token);
    }

    /** @return the token's {@code aud}, escaped, e.g. {@code [https://api.anthropic.com]} */
    static String audience(IdentityToken token) {
        return token.audience().stream().map(Text::escape)
                .collect(Collectors.joining(", ", "[", "]"));
    }

    /** @return e.g. {@code 2026-11-22T10:05:00Z (in 4 min 59 s)} or {@code ... (2 min ago)} */
    static String when(Instant at, Instant now) {
        Duration d = Duration.between(now, at);
        String span = span(d.abs());
        return at + (d.isNegative() ? " (" + span + " ago)" : " (in " + span + ")");
    }

    private static String span(Duration d) {
        long s = d.toSeconds();
        if (s >= 3600) {
            return s / 3600 + " h " + s % 3600 / 60 + " min";
        }
        return s >= 60 ? s / 60 + " min " + s % 60 + " s" : s + " s";
    }

    /** @return whether the token's {@code exp} is past */
    static boolean expired(IdentityToken token, Instant now) {
        return token.expiresAt().map(exp -> !now.isBefore(exp)).orElse(false);
    }
}
