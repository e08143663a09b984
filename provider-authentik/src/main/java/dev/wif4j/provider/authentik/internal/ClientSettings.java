package dev.wif4j.provider.authentik.internal;

import dev.wif4j.spi.DetectionContext;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The provider's settings, read once from the context, with what is missing or wrong in words a user
 * can act on. Every key is given as {@code authentik.<key>} in code, {@code wif4j.authentik.<key>} as a
 * system property or {@code WIF4J_AUTHENTIK_<KEY>} in the environment.
 *
 * @param tokenUrl the token endpoint
 * @param clientId the client id
 * @param secretFile the file holding the client secret, or {@code null}
 * @param secret the client secret given directly, or {@code null}
 * @param assertionFile the file holding a JWT client assertion, or {@code null}
 * @param scope the scope asked for
 * @param tokenField which field of the response is the identity token
 * @param slug the application slug the issuer URL should end with, or {@code null}
 * @param maxLifetimeSeconds the longest {@code exp - iat} Anthropic's issuer accepts
 */
public record ClientSettings(URI tokenUrl, String clientId, String secretFile, String secret, String assertionFile,
        String scope, String tokenField, String slug, long maxLifetimeSeconds) {

    /** The provider id, the prefix of every key. */
    public static final String PROVIDER = "authentik";

    /**
     * The outcome of reading the settings.
     *
     * @param settings the settings, when complete and valid
     * @param problem what is missing or wrong, otherwise
     * @param configured whether any of the provider's settings is given at all
     */
    public record Resolution(ClientSettings settings, String problem, boolean configured) {
    }

    /**
     * @param key a setting key
     * @return its environment variable, e.g. {@code WIF4J_AUTHENTIK_CLIENT_ID}
     */
    public static String variable(String key) {
        return DetectionContext.environmentName(PROVIDER + "." + key);
    }

    /**
     * Reads and checks the settings.
     *
     * @param context the context
     * @return the settings, or what is missing
     */
    public static Resolution resolve(DetectionContext context) {
        Optional<String> tokenUrl = context.setting(PROVIDER, "token-url");
        Optional<String> host = context.setting(PROVIDER, "host");
        Optional<String> clientId = context.setting(PROVIDER, "client-id");
        Optional<String> secretFile = context.setting(PROVIDER, "client-secret-file");
        Optional<String> secret = context.setting(PROVIDER, "client-secret");
        Optional<String> assertionFile = context.setting(PROVIDER, "client-assertion-file");
        boolean configured = tokenUrl.isPresent() || host.isPresent() || clientId.isPresent() || secretFile.isPresent()
                || secret.isPresent() || assertionFile.isPresent();
        if (!configured) {
            return new Resolution(null, "not configured: set " + variable("token-url") + " (or " + variable("host")
                    + "), " + variable("client-id") + ", and " + variable("client-secret-file") + ", "
                    + variable("client-secret") + " or " + variable("client-assertion-file"), false);
        }
        List<String> missing = new ArrayList<>();
        if (tokenUrl.isEmpty() && host.isEmpty()) {
            missing.add(variable("token-url") + " (or " + variable("host") + ")");
        }
        if (clientId.isEmpty()) {
            missing.add(variable("client-id"));
        }
        if (secretFile.isEmpty() && secret.isEmpty() && assertionFile.isEmpty()) {
            missing.add("a client secret (" + variable("client-secret-file") + " or " + variable("client-secret")
                    + ") or a client assertion (" + variable("client-assertion-file") + ")");
        }
        if (!missing.isEmpty()) {
            return new Resolution(null, "configured, but " + String.join(", ", missing) + " "
                    + (missing.size() == 1 ? "is" : "are") + " missing", true);
        }
        String url = tokenUrl.orElseGet(() -> {
            String h = host.get().strip();
            String base = h.contains("://") ? h : "https://" + h;
            return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/application/o/token/";
        });
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            return new Resolution(null, "the token URL is not a URL", true);
        }
        String urlProblem = checkUrl(uri);
        if (urlProblem != null) {
            return new Resolution(null, urlProblem, true);
        }
        String field = context.setting(PROVIDER, "token-field").orElse("id_token").strip();
        if (!field.equals("id_token") && !field.equals("access_token")) {
            return new Resolution(null, variable("token-field") + " is '" + field + "'; it is id_token or access_token",
                    true);
        }
        long maxLifetime;
        String maxText = context.setting(PROVIDER, "max-lifetime-seconds").orElse("3600").strip();
        try {
            maxLifetime = Long.parseLong(maxText);
        } catch (NumberFormatException e) {
            maxLifetime = -1;
        }
        if (maxLifetime < 1 || maxLifetime > 176_400) {
            return new Resolution(null, variable("max-lifetime-seconds") + " is '" + maxText
                    + "'; it is a number of seconds from 1 to 176400 (the issuer's max_jwt_lifetime_seconds)", true);
        }
        if (secretFile.isPresent() && secret.isPresent()) {
            // Both given: the file wins, as it can rotate; say nothing secret about the other.
            secret = Optional.empty();
        }
        return new Resolution(new ClientSettings(uri, clientId.get().strip(), secretFile.orElse(null),
                secret.orElse(null), assertionFile.orElse(null),
                context.setting(PROVIDER, "scope").orElse("openid").strip(), field,
                context.setting(PROVIDER, "slug").map(String::strip).orElse(null), maxLifetime), null, true);
    }

    private static String checkUrl(URI uri) {
        if (uri.getScheme() == null || uri.getHost() == null) {
            return "the token URL " + uri + " is not an absolute URL";
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https") || scheme.equals("http") && isLoopback(uri.getHost())) {
            return null;
        }
        return "the token URL " + uri.getScheme() + "://" + uri.getHost() + " is not https; a client secret is never "
                + "sent in clear";
    }

    private static boolean isLoopback(String host) {
        String literal = host.replace("[", "").replace("]", "");
        if (literal.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!literal.matches("[0-9.]+") && !literal.contains(":")) {
            return false; // a name: never resolved here
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** @return how the client authenticates, for reports; never the secret */
    public String credentialDescription() {
        if (assertionFile != null && secretFile == null && secret == null) {
            return "a client assertion from " + assertionFile;
        }
        return secretFile != null ? "a client secret from the file " + secretFile
                : "a client secret from " + variable("client-secret");
    }

    @Override
    public String toString() {
        return "ClientSettings[" + tokenUrl + ", client " + clientId + ", " + credentialDescription() + ", scope "
                + scope + ", field " + tokenField + "]";
    }
}
