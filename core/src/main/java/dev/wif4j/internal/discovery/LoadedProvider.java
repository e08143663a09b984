package dev.wif4j.internal.discovery;

import dev.wif4j.spi.IdentityProvider;
import java.net.URL;
import java.security.CodeSource;

/**
 * An installed provider and where it came from. Ordered as detection ranks providers: highest priority first, then
 * id, never {@link java.util.ServiceLoader}'s order (its own order rather than a comparator: one class fewer for
 * the cold JVM detection runs in).
 *
 * @param provider the provider
 * @param id its id, read once
 * @param priority its priority, read once
 * @param location the module or jar it was loaded from
 */
public record LoadedProvider(IdentityProvider provider, String id, int priority, String location)
        implements Comparable<LoadedProvider> {

    /**
     * Detection's ranking: highest priority first, then id.
     *
     * @param other another provider
     * @return negative if this one ranks first
     */
    @Override
    public int compareTo(LoadedProvider other) {
        int byPriority = Integer.compare(other.priority, priority);
        return byPriority != 0 ? byPriority : id.compareTo(other.id);
    }

    /**
     * Reads id, priority and location of a provider.
     *
     * @param provider the provider
     * @return the record
     */
    public static LoadedProvider of(IdentityProvider provider) {
        return new LoadedProvider(provider, provider.id(), provider.priority(), locationOf(provider.getClass()));
    }

    /**
     * The provider's implementing class name.
     *
     * @return the class name
     */
    public String implementation() {
        return provider.getClass().getName();
    }

    static String locationOf(Class<?> type) {
        Module module = type.getModule();
        if (module.isNamed()) {
            return "module " + module.getName();
        }
        CodeSource source = type.getProtectionDomain().getCodeSource();
        URL url = source == null ? null : source.getLocation();
        return url == null ? "unknown location" : url.toString();
    }
}
