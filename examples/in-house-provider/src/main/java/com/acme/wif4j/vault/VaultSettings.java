package com.acme.wif4j.vault;

import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.support.ProviderSettings;
import dev.wif4j.spi.support.Setting;
import dev.wif4j.spi.support.SettingException;
import dev.wif4j.spi.support.Text;
import dev.wif4j.spi.support.TokenFile;
import java.net.URI;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The settings, each from the first source that sets it ({@link ProviderSettings}): {@code address} (or
 * {@code VAULT_ADDR}), {@code role}, {@code token} (or {@code VAULT_TOKEN}), {@code token.file} (re-read on every
 * fetch; wins over {@code token}), {@code namespace} (or {@code VAULT_NAMESPACE}), {@code timeout} (one call to Vault,
 * within the fetch budget) and {@code audience}. A bad one is a {@link SettingException} naming its source.
 */
final class VaultSettings {
    static final String ID = "acme-vault";
    private static final Pattern ROLE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*/?");

    final URI address;
    final String role;
    final String roleSource;
    final String namespace; // null outside a Vault Enterprise namespace
    final Duration timeout;
    final String audience;
    final String tokenOrigin; // a variable's name, or "the file PATH (SOURCE)"
    final String evidence; // what detection saw, where each piece came from
    final TokenFile tokenFile; // null when the token is given as a value
    private final Setting token; // token, or token.file when the token is read from a file

    VaultSettings(DetectionContext context) {
        ProviderSettings settings = ProviderSettings.of(context, ID);
        Setting addressSetting = settings.get("address").orEnv("VAULT_ADDR");
        addressSetting.require("Vault's address, such as https://vault.acme.internal:8200");
        address = addressSetting.asEndpoint().orElseThrow();
        if (address.getRawQuery() != null) {
            throw addressSetting.invalid("a Vault address carries no query (?...)");
        }
        Setting roleSetting = settings.get("role");
        role = roleSetting.value().orElseThrow(() -> new SettingException(notSetUp(context)));
        roleSource = roleSetting.source().orElseThrow();
        if (!ROLE.matcher(role).matches()) {
            throw roleSetting.invalid("it must be a Vault role name: letters, digits, '_', '.' and '-'");
        }
        Setting file = settings.get("token.file");
        String shown = Text.escape(file.value("")) + " (" + file.source().orElse("") + ")";
        // Vault agent writes its sink once it has authenticated: a missing or empty file is worth another try.
        tokenFile = file.asPath().map(path -> TokenFile.of(path, "The Vault token file " + shown)
                .maxBytes(8 * 1024, "a Vault token is under 200 characters").writtenByAnAgent()).orElse(null);
        token = tokenFile != null ? file : settings.secret("token").orEnv("VAULT_TOKEN");
        tokenOrigin = tokenFile != null ? "the file " + shown : token.source().orElseThrow(() -> new SettingException(
                "No Vault token: set " + token.names() + " to a Vault token, or " + file.variable()
                        + " to a file holding one (such as Vault agent's token sink)."));
        if (tokenFile == null) {
            vaultToken(); // checks a token given as a value now; a token file is checked at each fetch
        }
        Setting namespaceSetting = settings.get("namespace").orEnv("VAULT_NAMESPACE");
        namespace = namespaceSetting.value().orElse(null);
        if (namespace != null && !NAMESPACE.matcher(namespace).matches()) {
            throw namespaceSetting.invalid("it must be a Vault namespace path such as admin/team-a");
        }
        Duration budget = context.fetchTimeout(); // one call to Vault may not outlast wif4j's fetch budget
        timeout = settings.get("timeout").asDuration(budget, Duration.ofMillis(Math.min(100, budget.toMillis())), budget);
        audience = settings.audience();
        evidence = addressSetting.source().orElseThrow() + " is " + address + ", role '" + role + "' (" + roleSource
                + ")" + (namespace == null ? "" : ", namespace " + namespace) + ", Vault token from " + tokenOrigin;
    }

    /** Why acme-vault is not set up here, or "" when a role is set: without one there is nothing to ask Vault for. */
    static String notSetUp(DetectionContext context) {
        ProviderSettings settings = ProviderSettings.of(context, ID);
        return settings.anySet("role") ? "" : settings.get("role").variable() + " is not set: set it to the name of the "
                + "Vault identity token role wif4j asks for (a role created with vault write identity/oidc/role/NAME "
                + "key=KEY client_id=" + settings.audience() + ").";
    }

    /** The Vault token, given or read afresh from the file (Vault agent rewrites it), checked to fit in a header. */
    String vaultToken() {
        String value = tokenFile == null ? token.value().orElseThrow() : tokenFile.read();
        if (value.length() > 4096 || !value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw token.invalid((tokenFile == null ? "it" : "the file") + " holds no Vault token: a Vault token is one "
                    + "word of visible ASCII, such as the hvs.* value vault login prints");
        }
        return value;
    }
}
