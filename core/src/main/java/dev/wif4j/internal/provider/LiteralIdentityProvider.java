package dev.wif4j.internal.provider;

import dev.wif4j.spi.Detection;
import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.IdentityProvider;
import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.spi.support.ProviderSettings;
import java.util.Optional;

/**
 * The built-in {@code literal} provider: an identity token given as the value of
 * {@code ANTHROPIC_IDENTITY_TOKEN} (or a profile's {@code identity_token} of source
 * {@code value}). The value is read once, when the source opens, as the official SDKs do; since
 * Anthropic accepts a {@code jti} once, such a token serves one exchange, which suits short jobs
 * and tests. {@code ANTHROPIC_IDENTITY_TOKEN_FILE} wins when both are set.
 */
public final class LiteralIdentityProvider implements IdentityProvider {
    /** The documented variable. */
    public static final String ENV = "ANTHROPIC_IDENTITY_TOKEN";

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public LiteralIdentityProvider() {}

    @Override
    public String id() {
        return "literal";
    }

    @Override
    public Detection detect(DetectionContext context) {
        Value value = value(context);
        return value != null ? Detection.available(value.origin() + " is set") : Detection.unavailable(ENV + " is not set");
    }

    @Override
    public IdentityTokenSource open(DetectionContext context) {
        Value value = value(context);
        if (value == null) {
            throw new IdentityTokenException(ENV + " is not set.");
        }
        IdentityToken token;
        try {
            token = IdentityToken.parse(value.text().strip());
        } catch (IdentityTokenException e) {
            throw new IdentityTokenException(value.origin() + ": " + e.getMessage());
        }
        return new IdentityTokenSource() {
            @Override
            public IdentityToken fetch() {
                return token;
            }

            @Override
            public String toString() {
                return "LiteralIdentityTokenSource[" + value.origin() + "]";
            }
        };
    }

    /** The value and where it came from, or {@code null}; plain code on the detection path (no lambdas). */
    private static Value value(DetectionContext context) {
        Optional<String> setting = ProviderSettings.of(context, "literal").secret("value").value();
        if (setting.isPresent()) {
            return new Value(setting.get(), "the setting literal.value");
        }
        Optional<String> env = context.env(ENV);
        return env.isPresent() ? new Value(env.get(), ENV) : null;
    }

    private record Value(String text, String origin) {
        @Override
        public String toString() {
            return "Value[" + origin + "]";
        }
    }

    @Override
    public String toString() {
        return "LiteralIdentityProvider";
    }
}
