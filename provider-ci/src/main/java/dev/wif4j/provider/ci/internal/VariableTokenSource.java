package dev.wif4j.provider.ci.internal;

import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.IdentityTokenSource;

/**
 * A token the CI system put into a variable when the job started. It cannot be renewed: every fetch reads the
 * same variable and so returns the same token, until it expires; then the fetch fails, saying so and naming the
 * setting that sets the token's lifetime. Anthropic accepts a {@code jti} once, so such a source serves one
 * exchange.
 */
record VariableTokenSource(CiSystem system, String variable, DetectionContext context) implements IdentityTokenSource {

    @Override
    public IdentityToken fetch() {
        String value = context.env(variable).orElseThrow(() -> new IdentityTokenException(variable
                + " is not set: " + system.missingTokenHint(context, variable) + "."));
        IdentityToken token = Tokens.parse(variable, value);
        if (Tokens.expired(token, context.clock().instant())) {
            throw new IdentityTokenException(expiredMessage(system, variable, token, context));
        }
        return token;
    }

    /** The sentence for a token past its {@code exp}: when it expired, that it cannot be renewed, and what sets its life. */
    static String expiredMessage(CiSystem system, String variable, IdentityToken token, DetectionContext context) {
        return "The " + system.displayName() + " token in " + variable + " expired at "
                + Tokens.when(token.expiresAt().orElseThrow(), context.clock().instant())
                + ", and a token read from a variable cannot be renewed: " + system.lifetimeHint() + ".";
    }

    @Override
    public String toString() {
        return "VariableTokenSource[" + system.displayName() + ", " + variable + "]";
    }
}
