package dev.wif4j.testkit.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.wif4j.testkit.OidcIssuer;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.function.Function;

/**
 * The check of an RFC 7523 JWT client assertion that every emulator of a token endpoint makes: signed by a key
 * of the trusted issuer its {@code iss} names, unexpired and, when the server requires one, for its audience.
 * Each emulator maps a {@link Refused refusal} to its server's error answer.
 */
public final class ClientAssertion {

    /** The {@code client_assertion_type} of a JWT client assertion. */
    public static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    /** Why an assertion was refused, in the order the rules are checked. */
    public enum Reason {
        /** Not a signed JWT, claims not JSON, or a key that cannot check its algorithm. */
        MALFORMED,
        /** No trusted issuer has the {@code iss}. */
        UNKNOWN_ISSUER,
        /** No published asymmetric key has the {@code kid}, or the signature does not verify. */
        BAD_SIGNATURE,
        /** No {@code exp}, or it is not after now. */
        EXPIRED,
        /** The {@code aud} does not hold the audience required. */
        WRONG_AUDIENCE
    }

    /** An assertion the check refused: the reason, and its claims when they could be read (for the message). */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        /** The reason. */
        private final Reason reason;
        /** The claims, {@code null} when {@link Reason#MALFORMED}. */
        private final transient JWTClaimsSet claims;

        Refused(Reason reason, JWTClaimsSet claims) {
            // No message: the assertion's text must not reach a log, and the emulator writes the answer.
            super(reason.name(), null, false, false);
            this.reason = reason;
            this.claims = claims;
        }

        /** @return the reason */
        public Reason reason() {
            return reason;
        }

        /** @return the claims, {@code null} when the assertion was {@link Reason#MALFORMED} */
        public JWTClaimsSet claims() {
            return claims;
        }
    }

    private ClientAssertion() {
    }

    /**
     * @param form the token request's form
     * @return whether it carries a JWT client assertion ({@code client_assertion} and its type)
     */
    public static boolean present(Map<String, String> form) {
        return JWT_BEARER.equals(form.get("client_assertion_type")) && form.get("client_assertion") != null;
    }

    /**
     * Checks an assertion.
     *
     * @param assertion the {@code client_assertion}
     * @param trusted the trusted issuer whose URL is the given {@code iss}, or {@code null} for none
     * @param audience the audience the {@code aud} must hold, or {@code null} when the server checks none
     * @param now the server's time
     * @return the claims of an accepted assertion
     * @throws Refused when a rule refuses it
     */
    public static JWTClaimsSet check(String assertion, Function<String, OidcIssuer> trusted, String audience,
            Instant now) throws Refused {
        JWTClaimsSet claims;
        try {
            SignedJWT jwt = SignedJWT.parse(assertion);
            claims = jwt.getJWTClaimsSet();
            OidcIssuer signer = claims.getIssuer() == null ? null : trusted.apply(claims.getIssuer());
            if (signer == null) {
                throw new Refused(Reason.UNKNOWN_ISSUER, claims);
            }
            JWK key = JWKSet.parse(signer.jwksJson()).getKeyByKeyId(jwt.getHeader().getKeyID());
            if (!(key instanceof AsymmetricJWK asymmetric) || !jwt.verify(new DefaultJWSVerifierFactory()
                    .createJWSVerifier(jwt.getHeader(), asymmetric.toPublicKey()))) {
                throw new Refused(Reason.BAD_SIGNATURE, claims);
            }
        } catch (ParseException | JOSEException e) {
            throw new Refused(Reason.MALFORMED, null);
        }
        Date exp = claims.getExpirationTime();
        if (exp == null || !exp.toInstant().isAfter(now)) {
            throw new Refused(Reason.EXPIRED, claims);
        }
        if (audience != null && (claims.getAudience() == null || !claims.getAudience().contains(audience))) {
            throw new Refused(Reason.WRONG_AUDIENCE, claims);
        }
        return claims;
    }
}
