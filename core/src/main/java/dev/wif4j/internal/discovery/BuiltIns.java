package dev.wif4j.internal.discovery;

import java.util.List;
import java.util.Set;

/** The ids wif4j reserves, and the artifacts that provide them. */
public final class BuiltIns {
    /** Provided by wif4j-core itself. */
    public static final Set<String> CORE_IDS = Set.of("file", "literal");
    /** Provided by wif4j's provider artifacts, in the order messages list them. */
    public static final List<String> PROVIDER_IDS = List.of("aws", "azure", "gcp", "k8s", "github", "authentik", "ci", "spiffe");

    private BuiltIns() {}

    /**
     * Whether a reserved id.
     *
     * @param id a provider id
     * @return {@code true} for wif4j's own ids
     */
    public static boolean isReserved(String id) {
        return CORE_IDS.contains(id) || PROVIDER_IDS.contains(id);
    }

    /**
     * The artifact a provider id comes from.
     *
     * @param id a reserved id
     * @return e.g. {@code wif4j-provider-aws}, or {@code null} for an in-house id
     */
    public static String artifactOf(String id) {
        if (CORE_IDS.contains(id)) {
            return "wif4j-core";
        }
        return PROVIDER_IDS.contains(id) ? "wif4j-provider-" + id : null;
    }

    /**
     * Whether a class may claim an id: reserved ids belong to wif4j's own packages.
     *
     * @param id the id claimed
     * @param className the class claiming it
     * @return {@code true} if allowed
     */
    static boolean mayUse(String id, String className) {
        if (CORE_IDS.contains(id)) {
            return className.startsWith("dev.wif4j.internal.provider.");
        }
        if (PROVIDER_IDS.contains(id)) {
            return className.startsWith("dev.wif4j.provider." + id + ".");
        }
        return true;
    }
}
