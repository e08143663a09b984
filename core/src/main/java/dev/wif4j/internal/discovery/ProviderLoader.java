package dev.wif4j.internal.discovery;

import dev.wif4j.ConfigurationException;
import dev.wif4j.spi.IdentityProvider;
import dev.wif4j.spi.internal.Names;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The one seam through which providers are found: {@link ServiceLoader} with an explicit class
 * loader, one broken provider jar reported and skipped, ids validated, duplicates refused.
 */
public final class ProviderLoader {
    /** Looked up when something is logged: the logging back end costs a cold JVM tens of milliseconds. */
    private static System.Logger log() {
        return System.getLogger(ProviderLoader.class.getName());
    }
    /** A broken service file could otherwise make the iterator fail forever. */
    private static final int MAX_ERRORS = 100;

    private ProviderLoader() {}

    /**
     * Finds, validates and returns the providers.
     *
     * @param classLoader where to look
     * @param autoRegistration whether to use ServiceLoader at all
     * @param extra providers given in code
     * @return the providers, in no particular order
     * @throws ConfigurationException for an invalid, reserved or duplicate id
     */
    public static List<LoadedProvider> load(ClassLoader classLoader, boolean autoRegistration,
            List<IdentityProvider> extra) {
        List<IdentityProvider> found = new ArrayList<>();
        if (autoRegistration) {
            Iterator<IdentityProvider> it = ServiceLoader.load(IdentityProvider.class, classLoader).iterator();
            int errors = 0;
            while (true) {
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    found.add(it.next());
                } catch (ServiceConfigurationError e) {
                    // One broken jar must not take the others down: report it and carry on.
                    log().log(Level.WARNING, Messages.brokenProvider(e));
                    if (++errors >= MAX_ERRORS) {
                        break;
                    }
                }
            }
        }
        found.addAll(extra);
        return validate(found);
    }

    static List<LoadedProvider> validate(List<IdentityProvider> providers) {
        Map<String, LoadedProvider> byId = new LinkedHashMap<>();
        for (IdentityProvider provider : providers) {
            LoadedProvider loaded = LoadedProvider.of(provider);
            String id = loaded.id();
            if (!Names.isProviderId(id)) {
                throw new ConfigurationException(Messages.invalidId(loaded));
            }
            if (!BuiltIns.mayUse(id, loaded.implementation())) {
                throw new ConfigurationException(Messages.reservedId(loaded));
            }
            LoadedProvider previous = byId.putIfAbsent(id, loaded);
            if (previous != null) {
                if (previous.implementation().equals(loaded.implementation())) {
                    continue; // the same class twice (given in code and found): one provider
                }
                throw new ConfigurationException(Messages.duplicateId(previous, loaded));
            }
        }
        return List.copyOf(byId.values());
    }
}
