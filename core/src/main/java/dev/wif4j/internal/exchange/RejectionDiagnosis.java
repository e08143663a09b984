package dev.wif4j.internal.exchange;

import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.support.Text;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Anthropic answers every denial with the same opaque 401 and keeps the reason for the Console. Much of
 * what it checks is visible in the token itself, so after a denial wif4j looks for the causes it can
 * see locally and names them in the exception's hint.
 */
final class RejectionDiagnosis {

    /** Anthropic's leeway on {@code exp}, {@code nbf} and {@code iat}. */
    static final Duration SKEW = Duration.ofSeconds(30);
    private static final Set<String> ASYMMETRIC = Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
            "ES256", "ES384", "ES512");
    private static final int REMEMBERED_JWT_IDS = 256;

    /**
     * The {@code jti}s this process has sent, oldest first. A plain map that {@link #recordSent} keeps bounded,
     * rather than a subclass that evicts by itself: one class fewer for the cold JVM the first exchange runs in.
     */
    private final Map<String, Instant> sent = new LinkedHashMap<>(64);

    /**
     * Records a token about to be sent.
     *
     * @param token the token
     * @param now the time
     * @return when the same {@code jti} was sent before, or {@code null}
     */
    synchronized Instant recordSent(IdentityToken token, Instant now) {
        String jti = token.jwtId().orElse(null);
        if (jti == null) {
            return null;
        }
        Instant before = sent.get(jti);
        if (before == null) {
            sent.put(jti, now);
            if (sent.size() > REMEMBERED_JWT_IDS) {
                sent.remove(sent.keySet().iterator().next());
            }
        }
        return before;
    }

    /**
     * The causes of a denial that can be seen in the token.
     *
     * @param token the rejected token
     * @param now the time of the answer
     * @param sentBefore when its {@code jti} had been sent before, or {@code null}
     * @param audience the audience the configuration expects
     * @return the causes, as sentence fragments; empty when none is visible
     */
    static List<String> causes(IdentityToken token, Instant now, Instant sentBefore, String audience) {
        List<String> causes = new ArrayList<>();
        String alg = token.algorithm().orElse("none");
        if (!ASYMMETRIC.contains(alg)) {
            causes.add("the token is signed with " + Text.escape(alg, 40) + ", but Anthropic accepts only asymmetric algorithms "
                    + "(RS*, PS*, ES256/384/512)");
        } else if (token.keyId().isEmpty()) {
            causes.add("the token's header has no kid, and Anthropic needs one that is in the issuer's JWKS");
        }
        if (sentBefore != null) {
            causes.add("this process already sent a token with jti " + Text.escape(token.jwtId().orElse("?"), 100) + " at " + sentBefore
                    + ", and Anthropic accepts each jti once: the identity source must supply a new token for every "
                    + "exchange (a token file must be rewritten before it is read again)");
        }
        token.expiresAt().ifPresentOrElse(exp -> {
            if (!exp.plus(SKEW).isAfter(now)) {
                causes.add("the token expired at " + exp + ", " + Duration.between(exp, now).toSeconds()
                        + " s before the exchange");
            }
        }, () -> causes.add("the token has no exp claim"));
        token.issuedAt().ifPresentOrElse(iat -> {
            if (iat.minus(SKEW).isAfter(now)) {
                causes.add("the token's iat, " + iat + ", is in the future: check the clocks");
            }
        }, () -> causes.add("the token has no iat claim"));
        token.notBefore().filter(nbf -> nbf.minus(SKEW).isAfter(now))
                .ifPresent(nbf -> causes.add("the token is not valid before " + nbf));
        if (token.subject().isEmpty()) {
            causes.add("the token has no sub claim");
        }
        if (!token.audience().contains(audience)) {
            causes.add("the token's aud " + Text.escape(String.valueOf(token.audience()), 300) + " does not contain "
                    + Text.escape(audience, 200)
                    + ", the audience configured here; the rule's audience must match aud");
        }
        return causes;
    }
}
