package com.acme.wif4j.vault;

import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.support.ProviderSettings;
import dev.wif4j.spi.support.Setting;
import dev.wif4j.spi.support.SettingException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The provider's settings, read once through the support kit, each from the first source that sets it: the
 * setting {@code acme-vault.<key>} given in code, the system property {@code wif4j.acme-vault.<key>}, the
 * variable {@code WIF4J_ACME_VAULT_<KEY>}, then Vault's own variable where it has one.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>key</th><th>Vault's variable</th><th>what it is</th></tr>
 *   <tr><td>{@code address}</td><td>{@code VAULT_ADDR}</td><td>Vault's address (https, or http to loopback)</td></tr>
 *   <tr><td>{@code role}</td><td></td><td>the identity token role; required</td></tr>
 *   <tr><td>{@code token}</td><td>{@code VAULT_TOKEN}</td><td>the Vault token (a secret)</td></tr>
 *   <tr><td>{@code token.file}</td><td></td><td>a file holding the Vault token, re-read on every fetch (Vault
 *       agent's sink); wins over {@code token}</td></tr>
 *   <tr><td>{@code namespace}</td><td>{@code VAULT_NAMESPACE}</td><td>the Vault Enterprise namespace</td></tr>
 *   <tr><td>{@code timeout}</td><td></td><td>how long one call to Vault may take; at most, and by default, the
 *       fetch budget</td></tr>
 *   <tr><td>{@code audience}</td><td></td><td>the audience the role's tokens must carry</td></tr>
 * </table>
 *
 * <p>Every problem is a {@link SettingException} naming the source to fix. {@link #toString()} never shows the
 * Vault token.
 */
final class VaultSettings {
    static final String ID = "acme-vault";

    /** Vault's role names: letters, digits, underscores, dots and dashes (no path separators). */
    private static final Pattern ROLE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    /** Namespace paths such as {@code admin/team-a}. */
    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*/?");
    private static final Duration SHORTEST_TIMEOUT = Duration.ofMillis(100);

    private final URI address;
    private final Setting addressSetting;
    private final String role;
    private final Setting roleSetting;
    private final Setting token;
    private final Setting tokenFile;
    private final Path tokenPath;
    private final String namespace;
    private final Duration timeout;
    private final String audience;

    private VaultSettings(DetectionContext context) {
        ProviderSettings settings = ProviderSettings.of(context, ID);
        addressSetting = settings.get("address").orEnv("VAULT_ADDR");
        addressSetting.require("Vault's address, such as https://vault.acme.internal:8200");
        address = addressSetting.asEndpoint().orElseThrow();
        if (address.getRawQuery() != null) {
            throw addressSetting.invalid("a Vault address carries no query (?...)");
        }
        roleSetting = settings.get("role");
        role = roleSetting.require("the name of the Vault identity token role wif4j asks for (a role created with "
                + "vault write identity/oidc/role/NAME key=KEY client_id=" + settings.audience() + ")");
        if (!ROLE.matcher(role).matches()) {
            throw roleSetting.invalid("it must be a Vault role name: letters, digits, '_', '.' and '-'");
        }
        token = settings.secret("token").orEnv("VAULT_TOKEN");
        tokenFile = settings.get("token.file");
        tokenPath = tokenFile.asPath().orElse(null);
        if (tokenPath == null && !token.isSet()) {
            throw new SettingException("No Vault token: set " + token.names() + " to a Vault token, or "
                    + tokenFile.variable() + " to a file holding one (such as Vault agent's token sink).");
        }
        if (tokenPath == null) {
            checkToken(token.value().orElseThrow(), token, "it holds no Vault token");
        }
        Setting namespaceSetting = settings.get("namespace").orEnv("VAULT_NAMESPACE");
        namespace = namespaceSetting.value().orElse(null);
        if (namespace != null && !NAMESPACE.matcher(namespace).matches()) {
            throw namespaceSetting.invalid("it must be a Vault namespace path such as admin/team-a");
        }
        // One fetch is one bounded attempt: a call to Vault may not outlast wif4j's fetch budget.
        Duration budget = context.fetchTimeout();
        Duration shortest = budget.compareTo(SHORTEST_TIMEOUT) < 0 ? budget : SHORTEST_TIMEOUT;
        timeout = settings.get("timeout").asDuration(budget, shortest, budget);
        audience = settings.audience();
    }

    /**
     * Reads and checks every setting; makes no network call and reads no file.
     *
     * @param context the context
     * @return the settings
     * @throws SettingException if one is missing or malformed
     */
    static VaultSettings read(DetectionContext context) {
        return new VaultSettings(context);
    }

    URI address() {
        return address;
    }

    /** @return where the address came from, e.g. {@code VAULT_ADDR} */
    String addressSource() {
        return addressSetting.source().orElseThrow();
    }

    String role() {
        return role;
    }

    String roleSource() {
        return roleSetting.source().orElseThrow();
    }

    Optional<String> namespace() {
        return Optional.ofNullable(namespace);
    }

    Duration timeout() {
        return timeout;
    }

    String audience() {
        return audience;
    }

    /** @return the token file, when the Vault token is read from one */
    Optional<Path> tokenFile() {
        return Optional.ofNullable(tokenPath);
    }

    /** @return where the Vault token comes from, for messages: a variable's name, or "the file PATH (SOURCE)" */
    String tokenOrigin() {
        return tokenPath != null ? "the file " + tokenFileOrigin() : token.source().orElseThrow();
    }

    /** @return the token file and where it was set, e.g. {@code /run/vault/token (WIF4J_ACME_VAULT_TOKEN_FILE)} */
    String tokenFileOrigin() {
        return tokenFile.value().orElseThrow() + " (" + tokenFile.source().orElseThrow() + ")";
    }

    /** @return the Vault token given as a value; empty when it is read from a file */
    Optional<String> tokenValue() {
        return tokenPath != null ? Optional.empty() : token.value();
    }

    /**
     * Checks a Vault token read from the token file.
     *
     * @param value the file's stripped content
     * @return the token
     * @throws SettingException if it cannot be a Vault token
     */
    String checkFileToken(String value) {
        return checkToken(value, tokenFile, "the file holds no Vault token");
    }

    /** A Vault token is one word of visible ASCII; anything else would corrupt the request's header. */
    private static String checkToken(String value, Setting from, String problem) {
        boolean ok = !value.isEmpty() && value.length() <= 4096;
        for (int i = 0; ok && i < value.length(); i++) {
            char c = value.charAt(i);
            ok = c > 0x20 && c < 0x7f;
        }
        if (!ok) {
            throw from.invalid(problem + ": a Vault token is one word of visible ASCII, such as the hvs.* value vault login prints");
        }
        return value;
    }

    @Override
    public String toString() {
        return "VaultSettings[" + address + ", role " + role + (namespace == null ? "" : ", namespace " + namespace)
                + ", token from " + tokenOrigin() + "]";
    }
}
