package dev.wif4j.testkit;

import java.time.Instant;

/**
 * One entry of the emulator's authentication history: what Anthropic's Console shows for an exchange
 * that reached rule evaluation. 400s (malformed requests) and unknown rules leave no entry, as on the
 * real service.
 *
 * @param time when the emulator decided
 * @param ruleId the rule evaluated
 * @param accepted whether a token was issued
 * @param reason {@code ok}, or the denial reason, e.g. {@code match_subject_prefix}, {@code jti_reused},
 *     {@code issuer_mismatch}, {@code token_expired}, {@code unsupported_algorithm}
 * @param issuer the token's {@code iss}, or {@code null} when it could not be read
 * @param subject the token's {@code sub}, or {@code null}
 * @param jwtId the token's {@code jti}, or {@code null}
 * @param requestId the {@code request-id} the response carried
 */
public record Decision(Instant time, String ruleId, boolean accepted, String reason, String issuer, String subject,
        String jwtId, String requestId) {
}
