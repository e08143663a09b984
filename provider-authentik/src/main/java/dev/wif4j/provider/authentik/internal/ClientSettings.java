package dev.wif4j.provider.authentik.internal;

import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.support.Endpoints;
import dev.wif4j.spi.support.ProviderSettings;
import dev.wif4j.spi.support.Setting;
import dev.wif4j.spi.support.SettingException;
import dev.wif4j.spi.support.Text;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The provider's settings, read once from the context through {@link ProviderSettings}: every key is given as
 * {@code authentik.<key>} in code, {@code wif4j.authentik.<key>} as a system property or
 * {@code WIF4J_AUTHENTIK_<KEY>} in the environment. What is missing or malformed is a {@link SettingException}
 * in words a user can act on.
 *
 * @param tokenUrl the token endpoint
 * @param clientId the client id
 * @param secretFile the setting naming the file that holds the client secret, or {@code null}
 * @param secret the setting holding the client secret itself, or {@code null} (also when the file wins)
 * @param assertionFile the setting naming the file that holds a JWT client assertion, or {@code null}
 * @param scope the scope asked for
 * @param tokenField which field of the response is the identity token
 * @param slug the application slug the issuer URL should end with, or {@code null}
 * @param maxLifetimeSeconds the longest {@code exp - iat} Anthropic's issuer accepts
 * @param basicAuth whether the client secret goes in an {@code Authorization: Basic} header
 *     ({@code client_secret_basic}) rather than in the form ({@code client_secret_post}, the default)
 */
public record ClientSettings(URI tokenUrl, String clientId, Setting secretFile, Setting secret, Setting assertionFile,
        String scope, String tokenField, String slug, long maxLifetimeSeconds, boolean basicAuth) {

    /** The provider id, the prefix of every key. */
    public static final String PROVIDER = "authentik";
    /** {@code client.auth}: the secret in the form. */
    private static final String POST = "client_secret_post";
    /** {@code client.auth}: the secret in an {@code Authorization: Basic} header (RFC 6749, 2.3.1). */
    private static final String BASIC = "client_secret_basic";
    /** {@code max_jwt_lifetime_seconds}' upper bound in Anthropic: 49 hours. */
    private static final long MAX_LIFETIME_LIMIT = 176_400;

    /**
     * @param key a setting key
     * @return its environment variable, e.g. {@code WIF4J_AUTHENTIK_CLIENT_ID}
     */
    public static String variable(String key) {
        return DetectionContext.environmentName(PROVIDER + "." + key);
    }

    /**
     * Reads and checks the settings, once the provider has seen that at least one of them is set.
     *
     * @param context the context
     * @param subject what a missing-settings sentence starts with: {@code ""} for detection ("configured, but
     *     ..."), or e.g. {@code "The authentik provider is "} for an exception
     * @return the settings
     * @throws SettingException when settings are missing or malformed
     */
    public static ClientSettings read(DetectionContext context, String subject) {
        ProviderSettings settings = ProviderSettings.of(context, PROVIDER);
        Setting tokenUrl = settings.get("token.url");
        Setting host = settings.get("host");
        Setting clientId = settings.get("client.id");
        Setting secretFile = settings.get("client.secret.file");
        Setting secret = settings.secret("client.secret");
        Setting assertionFile = settings.get("client.assertion.file");
        List<String> missing = new ArrayList<>();
        if (!tokenUrl.isSet() && !host.isSet()) {
            missing.add(tokenUrl.variable() + " (or " + host.variable() + ")");
        }
        if (!clientId.isSet()) {
            missing.add(clientId.variable());
        }
        if (!secretFile.isSet() && !secret.isSet() && !assertionFile.isSet()) {
            missing.add("a client secret (" + secretFile.variable() + " or " + secret.variable()
                    + ") or a client assertion (" + assertionFile.variable() + ")");
        }
        if (!missing.isEmpty()) {
            throw new SettingException(sentence(subject, "configured, but " + String.join(", ", missing) + " "
                    + (missing.size() == 1 ? "is" : "are") + " missing"));
        }
        URI url = tokenUrl.isSet() ? tokenUrl.asEndpoint().orElseThrow() : fromHost(host);
        // Checked now, read on every fetch (a rotated secret or assertion is picked up).
        secretFile.asPath();
        assertionFile.asPath();
        String field = settings.get("token.field").asChoice("id_token", "id_token", "access_token");
        long maxLifetime = settings.get("max.lifetime.seconds").asLong(3600, 1, MAX_LIFETIME_LIMIT);
        Setting clientAuth = settings.get("client.auth");
        boolean basic = clientAuth.asChoice(POST, POST, BASIC).equals(BASIC);
        if (basic && !secretFile.isSet() && !secret.isSet()) {
            throw clientAuth.invalid("the client authenticates with a client assertion ("
                    + assertionFile.variable() + "), which is always sent in the form: unset it");
        }
        // Both given: the file wins, as it can rotate; say nothing secret about the other.
        return new ClientSettings(url, clientId.value().orElseThrow(), ifSet(secretFile),
                secretFile.isSet() ? null : ifSet(secret), ifSet(assertionFile), settings.get("scope").value("openid"),
                field, settings.get("slug").value().orElse(null), maxLifetime, basic);
    }

    /**
     * Whether a URL's path is authentik's: its token endpoint {@code /application/o/token/} and its issuers
     * {@code /application/o/<slug>/} share the prefix {@code /application/o/}.
     *
     * @param url a token endpoint or issuer URL; may be {@code null} or malformed
     * @return whether it looks like authentik's
     */
    public static boolean isAuthentikUrl(String url) {
        if (url == null) {
            return false;
        }
        try {
            String path = URI.create(url).getRawPath();
            return path != null && path.contains("/application/o/");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * @return whether the server is authentik, as far as the settings say (its token URL, or a slug, which only
     *     authentik has); advice in authentik's terms is given only then, else in an OIDC server's
     */
    public boolean authentik() {
        return slug != null || isAuthentikUrl(tokenUrl.toString());
    }

    private static Setting ifSet(Setting setting) {
        return setting.isSet() ? setting : null;
    }

    /** Detection's reason as it is ({@code subject} empty), or a whole sentence for an exception. */
    private static String sentence(String subject, String problem) {
        return subject.isEmpty() ? problem : subject + problem + ".";
    }

    /** {@code host} means authentik's token endpoint on that host: {@code https://<host>/application/o/token/}. */
    private static URI fromHost(Setting host) {
        String h = host.value().orElseThrow();
        String base = h.contains("://") ? h : "https://" + h;
        String url = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/application/o/token/";
        try {
            return Endpoints.parse(url);
        } catch (IllegalArgumentException e) {
            // The URL by scheme, host and port only, and not the value as set (host.invalid would quote it): user
            // info or a query in it may hold a secret.
            throw new SettingException(host.source().orElse(host.variable()) + " gives the token URL "
                    + Endpoints.describe(url) + ", which is refused: " + e.getMessage() + ".");
        }
    }

    /**
     * @return the token URL for messages and reports: scheme, host, port and path, which tell one server and realm
     *     from another, without the query, which may hold a key ({@link Endpoints#parse} refuses user info)
     */
    public String shownTokenUrl() {
        String shown = tokenUrl.getScheme() + "://" + tokenUrl.getHost()
                + (tokenUrl.getPort() >= 0 ? ":" + tokenUrl.getPort() : "")
                + (tokenUrl.getRawPath() == null ? "" : tokenUrl.getRawPath());
        return Text.escape(shown) + (tokenUrl.getRawQuery() == null ? "" : "?...");
    }

    /** @return how the client authenticates, for reports; never the secret */
    public String credentialDescription() {
        if (!usesSecret()) {
            return "a client assertion from " + shown(assertionFile);
        }
        String how = basicAuth ? " (" + BASIC + ")" : "";
        return (secretFile != null ? "a client secret from the file " + shown(secretFile)
                : "a client secret from " + secret.source().orElseThrow()) + how;
    }

    /** @return whether the client authenticates with a client secret (else with an assertion) */
    public boolean usesSecret() {
        return secretFile != null || secret != null;
    }

    private static String shown(Setting file) {
        return Text.escape(file.value().orElseThrow());
    }

    @Override
    public String toString() {
        return "ClientSettings[" + shownTokenUrl() + ", client " + Text.escape(clientId) + ", "
                + credentialDescription()
                + ", scope " + Text.quote(scope) + ", field " + tokenField + "]";
    }
}
