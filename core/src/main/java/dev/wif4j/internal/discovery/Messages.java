package dev.wif4j.internal.discovery;

import dev.wif4j.spi.internal.Redaction;
import dev.wif4j.spi.support.Text;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Every message detection shows a user, in one place, each as "the problem; the fix". Tests
 * assert their full text.
 */
public final class Messages {
    private Messages() {}

    /** Only the built-in file and literal providers are installed, and neither is configured. */
    static String noProviderJar() {
        return "No identity source found: only wif4j-core is installed, and neither "
                + "ANTHROPIC_IDENTITY_TOKEN_FILE nor ANTHROPIC_IDENTITY_TOKEN is set. "
                + "Add the provider artifact for where this runs (wif4j-provider-aws, wif4j-provider-azure, "
                + "wif4j-provider-gcp, wif4j-provider-k8s, wif4j-provider-github or wif4j-provider-authentik; "
                + "versions come from wif4j-bom), or set ANTHROPIC_IDENTITY_TOKEN_FILE to a file holding an "
                + "OIDC identity token.";
    }

    /** Providers are installed but none is available here. */
    static String noneAvailable(List<LoadedProvider> tried, List<String> reasons) {
        StringBuilder out = new StringBuilder("No identity provider is available here. Providers tried:");
        for (int i = 0; i < tried.size(); i++) {
            LoadedProvider p = tried.get(i);
            out.append("\n  - ").append(p.id()).append(" (").append(origin(p)).append("): ").append(reasons.get(i));
        }
        return out.append("\nFix one of the reasons above, or set WIF4J_PROVIDER to the provider you expect ")
                .append("to see its error.").toString();
    }

    /** The user chose a provider id that no installed provider has. */
    static String explicitNotInstalled(String id, String origin, Collection<String> installed) {
        String list = String.join(", ", installed);
        String artifact = BuiltIns.artifactOf(id);
        if (artifact != null) {
            return origin + " is '" + id + "', but " + artifact + " is not installed: add the dependency "
                    + "dev.wif4j:" + artifact + " (its version comes from wif4j-bom). Installed providers: " + list + ".";
        }
        return origin + " is '" + id + "', but no installed provider has that id. Installed providers: " + list
                + ". An in-house provider must be on the class path or module path and registered in "
                + "META-INF/services/dev.wif4j.spi.IdentityProvider (class path) or with 'provides' in "
                + "module-info.java (module path).";
    }

    /** The user chose a provider that is installed but says it cannot work here. */
    static String explicitUnavailable(String id, String origin, String reason) {
        return origin + " is '" + id + "', but that provider is not available here: " + reason;
    }

    /** The chosen id is malformed. */
    static String malformedChoice(String id, String origin) {
        return origin + " is " + Text.quote(id) + ", which is not a provider id: ids are lower-case letters, digits and "
                + "dashes, starting with a letter (for example 'gcp' or 'acme-vault').";
    }

    /** The chosen provider is also disabled. */
    static String chosenAndDisabled(String id, String origin) {
        return origin + " is '" + id + "', but WIF4J_DISABLED_PROVIDERS also lists it: remove it from one of them.";
    }

    /** Several providers are available; not an error, logged at INFO. */
    static String severalAvailable(LoadedProvider chosen, List<LoadedProvider> others) {
        return "Using identity provider '" + chosen.id() + "' (priority " + chosen.priority() + "); also available: "
                + others.stream().map(p -> p.id() + " (priority " + p.priority() + ")").collect(Collectors.joining(", "))
                + ". Set WIF4J_PROVIDER to use another.";
    }

    static String invalidId(LoadedProvider p) {
        return "Identity provider " + p.implementation() + " (" + p.location() + ") has the id '" + p.id()
                + "': ids are lower-case letters, digits and dashes, starting with a letter, at most 63 characters.";
    }

    static String reservedId(LoadedProvider p) {
        return "Identity provider " + p.implementation() + " (" + p.location() + ") claims the id '" + p.id()
                + "', which is reserved for wif4j's own " + BuiltIns.artifactOf(p.id())
                + ": give it an id of its own, such as 'acme-" + p.id() + "'.";
    }

    static String duplicateId(LoadedProvider first, LoadedProvider second) {
        return "Two identity providers have the id '" + first.id() + "': " + first.implementation() + " ("
                + first.location() + ") and " + second.implementation() + " (" + second.location()
                + "). Remove one of the jars, or give the in-house provider another id.";
    }

    static String brokenProvider(Throwable error) {
        return "An identity provider could not be loaded and is skipped: "
                + Redaction.scrub(String.valueOf(error.getMessage()))
                + (error.getCause() == null ? "" : " (caused by " + error.getCause() + ")");
    }

    static String skippedFor(String winner) {
        return "not asked: " + winner + " takes precedence";
    }

    private static String origin(LoadedProvider p) {
        String artifact = BuiltIns.artifactOf(p.id());
        return artifact != null ? artifact : p.location();
    }
}
