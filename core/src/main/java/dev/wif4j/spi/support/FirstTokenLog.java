package dev.wif4j.spi.support;

import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.IdentityToken;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Describes a source's first token once, at INFO: the claims a federation rule matches on ({@code iss}, {@code sub},
 * {@code aud}) and those the provider names, each escaped and cut, then the provider's advice for a narrow rule.
 * Users read it to write the rule in the Console; later tokens are not described again. Never the JWT itself.
 *
 * <pre>{@code
 * FirstTokenLog described = FirstTokenLog.of(context, VaultIdentityProvider.class, "Vault identity token",
 *         List.of("namespace"), token -> "A narrow federation rule pins subject_prefix to that sub.");
 * return described.once(token);   // in fetch()
 * }</pre>
 *
 * <p>The line reads {@code <what>: iss=..., sub=..., aud=[...], <claim>=... . <advice>}; a claim the token lacks is
 * left out, and a claim that is not a string (an object such as Google's {@code google}) is shown as it decodes.
 */
public final class FirstTokenLog {
    /** How much of each claim the line shows. */
    private static final int CLAIM_LIMIT = 200;

    private final System.Logger log;
    private final String what;
    private final List<String> claims;
    private final Function<IdentityToken, String> advice;
    private final AtomicBoolean described = new AtomicBoolean();

    private FirstTokenLog(System.Logger log, String what, List<String> claims, Function<IdentityToken, String> advice) {
        this.log = log;
        this.what = Objects.requireNonNull(what, "what");
        this.claims = List.copyOf(claims);
        this.advice = Objects.requireNonNull(advice, "advice");
    }

    /**
     * A describer that logs through the context's logger named after the provider's class.
     *
     * @param context the context, whose logger is used
     * @param provider the provider's class, the logger's name
     * @param what what the token is, e.g. {@code "GitHub Actions OIDC token"}
     * @param claims further claims to show after {@code iss}, {@code sub} and {@code aud}, e.g. {@code repository}
     * @param advice the sentence(s) after the claims, from the token (e.g. how to write a narrow rule); may be empty
     * @return the describer; share it for the source's life
     */
    public static FirstTokenLog of(DetectionContext context, Class<?> provider, String what, List<String> claims,
            Function<IdentityToken, String> advice) {
        return new FirstTokenLog(context.logger(provider.getName()), what, claims, advice);
    }

    /**
     * Describes the token if it is the first one this describer sees; later calls do nothing.
     *
     * @param token the token just fetched
     * @return the same token, so that {@code return described.once(token);} ends a fetch
     */
    public IdentityToken once(IdentityToken token) {
        if (described.compareAndSet(false, true)) {
            log.log(System.Logger.Level.INFO, () -> line(token));
        }
        return token;
    }

    /**
     * The line {@link #once} logs, for a test or a CLI to show.
     *
     * @param token the token
     * @return the description
     */
    public String line(IdentityToken token) {
        StringJoiner shown = new StringJoiner(", ");
        shown.add("iss=" + Text.escape(token.issuer().orElse("?")));
        shown.add("sub=" + Text.escape(token.subject().orElse("?")));
        shown.add("aud=" + Text.escape(token.audience().toString()));
        Map<String, Object> all = token.claims();
        for (String name : claims) {
            Object value = all.get(name);
            if (value != null) {
                shown.add(name + "=" + Text.escape(String.valueOf(value), CLAIM_LIMIT));
            }
        }
        String then = advice.apply(token);
        return what + ": " + shown + "." + (then == null || then.isBlank() ? "" : " " + then.strip());
    }

    @Override
    public String toString() {
        return "FirstTokenLog[" + what + (described.get() ? ", described" : "") + "]";
    }
}
