package dev.wif4j.spi.support;

import dev.wif4j.spi.internal.Names;
import java.util.regex.Pattern;

/**
 * The rule for provider ids ({@link dev.wif4j.spi.IdentityProvider#id()}): what users type in
 * {@code WIF4J_PROVIDER}, and the prefix of every setting of the provider.
 */
public final class ProviderIds {
    /**
     * Lower-case letters, digits and dashes, starting with a letter, at most 63 characters. Core checks ids by
     * hand (the same rule, without compiling this pattern on start-up); the pattern is for callers that want one.
     */
    public static final Pattern PATTERN = Pattern.compile("[a-z][a-z0-9-]{0,62}");

    private ProviderIds() {}

    /**
     * Whether a text is a well-formed provider id.
     *
     * @param id the text; may be {@code null}
     * @return {@code true} if it matches {@link #PATTERN}
     */
    public static boolean isValid(String id) {
        return Names.isProviderId(id);
    }

    /**
     * Checks a provider id.
     *
     * @param id the id
     * @return the id
     * @throws IllegalArgumentException if it is not well-formed
     */
    public static String require(String id) {
        return Names.requireProviderId(id);
    }
}
