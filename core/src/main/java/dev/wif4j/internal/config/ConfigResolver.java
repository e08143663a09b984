package dev.wif4j.internal.config;

import dev.wif4j.ConfigurationException;
import dev.wif4j.FederationSettings;
import dev.wif4j.spi.internal.Json;
import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.support.Endpoints;
import dev.wif4j.spi.support.SmallFiles;
import dev.wif4j.spi.support.Text;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves the federation settings with the precedence Anthropic documents (PROTOCOL.md §5),
 * the same one the official SDKs and Claude Code follow, so one configuration serves them all:
 * <ol>
 *   <li>values given in code;</li>
 *   <li>{@code ANTHROPIC_PROFILE}: {@code <config_dir>/configs/<name>.json}, an error if
 *       missing;</li>
 *   <li>the federation variables ({@code ANTHROPIC_FEDERATION_RULE_ID}, …);</li>
 *   <li>the active profile: {@code <config_dir>/active_config}, else {@code default}, skipped
 *       quietly if absent.</li>
 * </ol>
 * Once a profile is loaded, environment variables only fill the fields it leaves empty.
 */
public final class ConfigResolver {
    /** The API host when nothing else is configured. */
    public static final URI DEFAULT_BASE_URL = URI.create("https://api.anthropic.com");

    static final int MAX_PROFILE_BYTES = 1024 * 1024;

    /**
     * Values given in code; each may be {@code null}.
     *
     * @param federationRuleId the rule id
     * @param organizationId the organization id
     * @param serviceAccountId the service account id
     * @param workspaceId the workspace id
     * @param baseUrl the base URL
     * @param profile the profile name
     * @param configDirectory the config directory
     */
    public record Explicit(String federationRuleId, String organizationId, String serviceAccountId,
            String workspaceId, String baseUrl, String profile, Path configDirectory) {}

    /**
     * The resolved settings, plus the settings a profile adds for the built-in providers (its
     * {@code identity_token}), and warnings to log once.
     *
     * @param settings the federation settings
     * @param providerSettings settings such as {@code file.path} that a profile supplies
     * @param warnings messages to log at WARNING
     */
    public record Resolved(FederationSettings settings, Map<String, String> providerSettings, List<String> warnings) {}

    private ConfigResolver() {}

    /**
     * Resolves the settings.
     *
     * @param context the environment
     * @param explicit values given in code
     * @return the settings
     * @throws ConfigurationException naming the value and what is allowed
     */
    public static Resolved resolve(DetectionContext context, Explicit explicit) {
        List<String> warnings = new ArrayList<>();
        for (String shadow : List.of("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN")) {
            if (context.env(shadow).isPresent()) {
                warnings.add(shadow + " is set: wif4j uses workload identity federation regardless, but the "
                        + "official Anthropic SDKs and Claude Code let " + shadow + " win over it. Unset it (an "
                        + "empty value still counts for them) so every client in this process authenticates the same way.");
            }
        }
        Profile profile = ProfileLocator.load(context, explicit);
        Map<String, String> providerSettings = new HashMap<>();
        if (profile != null && profile.identityTokenPath() != null) {
            providerSettings.put("file.path", profile.identityTokenPath());
        }
        if (profile != null && profile.identityTokenValue() != null) {
            providerSettings.put("literal.value", profile.identityTokenValue());
        }

        String rule = pick(explicit.federationRuleId(), profile == null ? null : profile.federationRuleId(),
                context.env("ANTHROPIC_FEDERATION_RULE_ID"));
        String org = pick(explicit.organizationId(), profile == null ? null : profile.organizationId(),
                context.env("ANTHROPIC_ORGANIZATION_ID"));
        String serviceAccount = pick(explicit.serviceAccountId(), profile == null ? null : profile.serviceAccountId(),
                context.env("ANTHROPIC_SERVICE_ACCOUNT_ID"));
        String workspace = pick(explicit.workspaceId(), profile == null ? null : profile.workspaceId(),
                context.env("ANTHROPIC_WORKSPACE_ID"));
        String base = pick(explicit.baseUrl(), profile == null ? null : profile.baseUrl(),
                context.env("ANTHROPIC_BASE_URL"));

        List<String> missing = new ArrayList<>();
        if (rule == null) {
            missing.add("ANTHROPIC_FEDERATION_RULE_ID (the fdrl_... id of the federation rule)");
        }
        if (org == null) {
            missing.add("ANTHROPIC_ORGANIZATION_ID (the organization's UUID)");
        }
        if (!missing.isEmpty()) {
            throw new ConfigurationException("Workload identity federation is not configured: "
                    + String.join(" and ", missing) + (missing.size() > 1 ? " are" : " is") + " not set"
                    + (profile == null ? ", and no profile file supplies " + (missing.size() > 1 ? "them" : "it")
                    : " in the environment nor in " + profile.describe())
                    + ". Set the variables, or pass the values to WorkloadIdentity.builder().");
        }
        check(rule, IdShapes.prefixed(rule, "fdrl_"), "federation rule id", "fdrl_ followed by letters and digits");
        check(org, IdShapes.uuid(org), "organization id", "a UUID such as 123e4567-e89b-12d3-a456-426614174000");
        if (serviceAccount != null) {
            check(serviceAccount, IdShapes.prefixed(serviceAccount, "svac_"), "service account id", "svac_ followed by letters and digits");
        }
        if (workspace != null) {
            check(workspace, workspace.equals("default") || IdShapes.prefixed(workspace, "wrkspc_"), "workspace id", "wrkspc_ followed by letters and digits, or 'default'");
        }
        URI baseUrl = base == null ? DEFAULT_BASE_URL : baseUrl(base);
        String source = profile != null ? profile.describe() : explicit.federationRuleId() != null ? "code" : "environment";
        FederationSettings settings = new FederationSettings(rule, org, serviceAccount, workspace, baseUrl,
                profile == null ? null : profile.name(), source);
        return new Resolved(settings, Map.copyOf(providerSettings), List.copyOf(warnings));
    }

    /**
     * Validates a base URL: https, or http to a loopback host only, since the exchange sends the
     * identity token there.
     *
     * @param raw the URL as configured
     * @return the URL without trailing slashes
     * @throws ConfigurationException if it is not allowed
     */
    public static URI baseUrl(String raw) {
        String trimmed = raw.strip();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw badBaseUrl(raw, "is not a valid URL.");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost();
        boolean web = scheme.equals("https") || scheme.equals("http");
        if (host == null && web && trimmed.contains("@")) {
            throw badBaseUrl(raw, "is not allowed: it may not carry user info "
                    + "(a password holding '/' hides the host). Use an https:// URL such as https://api.anthropic.com.");
        }
        if (host == null || !web) {
            throw badBaseUrl(raw, "is not allowed: use an https:// URL "
                    + "such as https://api.anthropic.com (http:// only to localhost, 127.0.0.1 or [::1]).");
        }
        if (scheme.equals("http") && !Endpoints.isLoopback(host)) {
            throw badBaseUrl(raw, "is not allowed: the identity token "
                    + "would be sent in clear text. Use https://, or http:// only to localhost, 127.0.0.1 or [::1].");
        }
        if (uri.getPort() > 65535) {
            throw badBaseUrl(raw, "is not allowed: its port is out of range (1-65535).");
        }
        // "https://user:12/ab@host" parses as host "user", port 12: the '@' gives the password away.
        boolean hiddenUserInfo = uri.getRawPath() != null && uri.getRawPath().contains("@");
        if (uri.getRawUserInfo() != null || hiddenUserInfo || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw badBaseUrl(raw, "is not allowed: it may not carry "
                    + "user info, a query or a fragment" + (hiddenUserInfo ? " (it has an '@' after the host: a "
                    + "password holding '/'?)" : "") + ".");
        }
        return uri;
    }

    /**
     * The failure for a base URL, showing only its scheme, host and port (a query, a fragment or a password may hold
     * a key). Described here, at the failure: the description costs a second parse, and classes (the endpoint
     * describer, the secret scrubber and its regular expression) that a valid URL does not need.
     */
    private static ConfigurationException badBaseUrl(String raw, String problem) {
        return new ConfigurationException("The base URL " + Endpoints.describe(raw) + " " + problem);
    }

    private static void check(String value, boolean wellFormed, String what, String allowed) {
        if (!wellFormed) {
            throw new ConfigurationException("The " + what + " " + Text.quote(value) + " is malformed: expected "
                    + allowed + ".");
        }
    }

    private static String pick(String explicit, String fromProfile, Optional<String> fromEnv) {
        if (explicit != null && !explicit.isBlank()) {
            return explicit.strip();
        }
        if (fromProfile != null && !fromProfile.isBlank()) {
            return fromProfile.strip();
        }
        return fromEnv.isPresent() ? fromEnv.get().strip() : null;
    }

    /** A path for a message: escaped, since a configured directory may hold anything, even a line break. */
    static String pathText(Path path) {
        return Text.escape(String.valueOf(path), 500);
    }

    /** A profile file's federation fields; package-private for the fuzz test. */
    record Profile(String name, Path file, String federationRuleId, String organizationId,
            String serviceAccountId, String workspaceId, String baseUrl, String identityTokenPath,
            String identityTokenValue) {

        static Profile read(Path file, String name) {
            byte[] bytes;
            try {
                bytes = SmallFiles.read(file, MAX_PROFILE_BYTES);
            } catch (NoSuchFileException e) {
                return null;
            } catch (SmallFiles.TooLargeException e) {
                throw new ConfigurationException("The profile file " + pathText(file) + " is larger than 1 MiB.");
            } catch (SmallFiles.NotRegularFileException e) {
                throw new ConfigurationException("The profile file " + pathText(file) + " is not a regular file"
                        + (e.isDirectory() ? " (a directory)." : " (a FIFO, a device or a socket); it was not opened."));
            } catch (IOException e) {
                throw new ConfigurationException("Could not read the profile file " + pathText(file) + ": "
                        + e.getClass().getSimpleName() + ".", e);
            }
            return parse(bytes, file, name);
        }

        /** Parses a profile file's bytes; the seam the fuzz test calls. */
        static Profile parse(byte[] bytes, Path file, String name) {
            String where = "The profile file " + pathText(file);
            Object parsed;
            try {
                parsed = Json.parse(bytes, true);
            } catch (Json.DuplicateKeyException e) {
                throw new ConfigurationException(where + " repeats a key, so which value counts is unclear: "
                        + Text.escape(e.getMessage(), 120) + ".");
            } catch (IOException e) {
                throw new ConfigurationException(where + " is not valid JSON.");
            }
            if (!(parsed instanceof Map<?, ?> root)) {
                throw new ConfigurationException(where + " must hold a JSON object.");
            }
            Object version = root.get("version");
            if (root.containsKey("version") && !(version instanceof String v && v.matches("1(\\.\\d+)?"))) {
                throw new ConfigurationException(where + " has version " + shown(Json.text(version))
                        + "; this wif4j reads version \"1.x\" profiles.");
            }
            Object authValue = root.get("authentication");
            if (root.containsKey("authentication") && !(authValue instanceof Map)) {
                throw new ConfigurationException(where + ": 'authentication' must be an object.");
            }
            Map<?, ?> auth = authValue instanceof Map<?, ?> m ? m : Map.of();
            String type = text(auth, "type", where);
            if (type != null && !type.equals("oidc_federation")) {
                throw new ConfigurationException(where + " has authentication type '" + shown(type) + "'; wif4j reads "
                        + "only 'oidc_federation' profiles" + (type.equals("user_oauth")
                        ? " (user_oauth is an interactive login, not a workload identity)." : "."));
            }
            String tokenPath = null;
            String tokenValue = null;
            Object identityValue = auth.get("identity_token");
            if (identityValue != null) {
                if (!(identityValue instanceof Map<?, ?> identity)) {
                    throw new ConfigurationException(where + ": 'authentication.identity_token' must be an object "
                            + "such as {\"source\": \"file\", \"path\": \"/var/run/secrets/token\"}.");
                }
                String source = text(identity, "source", where);
                String path = text(identity, "path", where);
                if (path == null) {
                    throw new ConfigurationException(where + ": 'authentication.identity_token' needs a 'path'.");
                }
                if ("file".equals(source)) {
                    tokenPath = path;
                } else if ("value".equals(source)) {
                    tokenValue = path;
                } else {
                    throw new ConfigurationException(where + ": identity_token source '" + shown(source)
                            + "' is not supported; use 'file'.");
                }
            }
            return new Profile(name, file, text(auth, "federation_rule_id", where),
                    text(root, "organization_id", where), text(auth, "service_account_id", where),
                    text(root, "workspace_id", where), text(root, "base_url", where), tokenPath, tokenValue);
        }

        /** A value for an error message, escaped and cut short: a profile may hold anything (found by ProfileFuzzTest). */
        private static String shown(String value) {
            return Text.escape(value, 40);
        }

        private static String text(Map<?, ?> object, String field, String where) {
            Object value = object.get(field);
            if (value == null) {
                return null;
            }
            if (!(value instanceof String text)) {
                throw new ConfigurationException(where + ": '" + field + "' must be a string.");
            }
            return text.isBlank() ? null : text;
        }

        String describe() {
            return "profile '" + name + "' (" + pathText(file) + ")";
        }

        @Override
        public String toString() {
            return "Profile[" + name + "]"; // never the identity token value
        }
    }
}
