package dev.wif4j.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wif4j.ConfigurationException;
import dev.wif4j.FederationSettings;
import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.support.MapContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the settings resolution quotes, and what it must not: the content of {@code active_config}, a base
 * URL's user info, query and fragment, and raw line breaks in any value.
 */
class ConfigResolverTest {
    private static final String ORG = "123e4567-e89b-12d3-a456-426614174000";
    private static final String SECRET = "AWS_SECRET_ACCESS_KEY=CANARYwJalrXUtnFEMI/K7MDENG";
    private static final ConfigResolver.Explicit NOTHING =
            new ConfigResolver.Explicit(null, null, null, null, null, null, null);

    @TempDir
    Path root;

    /** A context whose environment is a map and whose config directory is {@code <root>/cfg}. */
    private MapContext ctx() {
        return new MapContext().root(root).env("ANTHROPIC_CONFIG_DIR", "/cfg");
    }

    private Path cfg() throws IOException {
        return Files.createDirectories(root.resolve("cfg/configs")).getParent();
    }

    private void profile(String name) throws IOException {
        Files.writeString(cfg().resolve("configs").resolve(name + ".json"), "{\"authentication\":{\"type\":"
                + "\"oidc_federation\",\"federation_rule_id\":\"fdrl_" + name + "\"},\"organization_id\":\"" + ORG + "\"}");
    }

    private String error(DetectionContext context) {
        return assertThrows(ConfigurationException.class, () -> ConfigResolver.resolve(context, NOTHING)).getMessage();
    }

    private static void assertOneLine(String message) {
        assertFalse(message.contains("\n") || message.contains("\r"), "a raw line break in: " + message);
    }

    @Test
    @DisplayName("active_config holding a secret: the error names the file and its length, never its content")
    void activeConfigContentIsNeverQuoted() throws IOException {
        Path active = cfg().resolve("active_config");
        String content = SECRET + "\nANTHROPIC_API_KEY=sk-ant-api03-CANARY\n";
        Files.writeString(active, content);
        String message = error(ctx());
        assertFalse(message.contains("CANARY"), message);
        assertFalse(message.contains("AWS_SECRET"), message);
        assertTrue(message.startsWith("The active profile file " + active + " holds " + content.length()
                + " bytes that are not a valid profile name (not shown): use letters, digits"), message);
        assertOneLine(message);
    }

    @Test
    @DisplayName("a symlinked active_config is refused, even one naming a valid profile, and never followed")
    void symlinkedActiveConfigIsRefused() throws IOException {
        profile("prod");
        Path target = Files.writeString(root.resolve("environ"), SECRET);
        Path active = Files.createSymbolicLink(cfg().resolve("active_config"), target);
        String message = error(ctx());
        assertEquals("The active profile file " + active + " is a symbolic link, which wif4j does not follow: it "
                + "could name any file, whose content would be taken for a profile name. Replace it with a file "
                + "holding the profile name, or set ANTHROPIC_PROFILE.", message);

        Files.writeString(target, "prod\n");
        assertTrue(error(ctx()).contains("is a symbolic link"), "a valid name behind a link is refused too");
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    @DisplayName("an active_config owned by another user (not root) is refused")
    void activeConfigOfAnotherUserIsRefused() throws IOException {
        profile("prod");
        Path active = Files.writeString(cfg().resolve("active_config"), "prod\n");
        UserPrincipal nobody = active.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        try {
            Files.setOwner(active, nobody);
        } catch (IOException e) {
            assumeTrue(false, "cannot chown here (not root): " + e);
        }
        assumeTrue(!Files.getOwner(active, LinkOption.NOFOLLOW_LINKS).equals(Files.getOwner(root)));
        String message = error(ctx());
        assertTrue(message.startsWith("The active profile file is not used: " + active + " is owned by nobody (uid "),
                message);
        assertTrue(message.endsWith("so another user could choose the profile this process uses. Change its owner, "
                + "or set ANTHROPIC_PROFILE."), message);
    }

    @Test
    @DisplayName("a valid active_config still selects its profile, trimmed; none at all is a quiet miss")
    void validActiveConfigStillWorks() throws IOException {
        profile("staging");
        Files.writeString(cfg().resolve("active_config"), "  staging \n");
        ConfigResolver.Resolved resolved = ConfigResolver.resolve(ctx(), NOTHING);
        assertEquals("fdrl_staging", resolved.settings().federationRuleId());
        assertEquals(Optional.of("staging"), resolved.settings().profile());

        Files.delete(cfg().resolve("active_config"));
        profile("default");
        assertEquals("fdrl_default", ConfigResolver.resolve(ctx(), NOTHING).settings().federationRuleId());
        Files.delete(cfg().resolve("configs/default.json"));
        assertTrue(error(ctx()).startsWith("Workload identity federation is not configured"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "https://api.anthropic.com/?key=sk-ant-api03-CANARY",
        "https://api.anthropic.com/#sk-ant-api03-CANARY",
        "https://user:sk-ant-CANARY/ss@api.anthropic.com",
        "https://user:12345/CANARY@api.anthropic.com",
        "http://user:sk-ant-api03-CANARY@api.example.com:8080/v1",
        "ftp://sk-ant-CANARY@api.example.com/",
        "https://api.anthropic.com/ CANARY"})
    @DisplayName("base URL errors show its scheme, host and port alone: no password, query or fragment")
    void baseUrlErrorsShowOnlySchemeHostAndPort(String url) {
        String message = error(ctx().env("ANTHROPIC_FEDERATION_RULE_ID", "fdrl_x")
                .env("ANTHROPIC_ORGANIZATION_ID", ORG).env("ANTHROPIC_BASE_URL", url));
        assertTrue(message.startsWith("The base URL "), message);
        assertFalse(message.contains("CANARY"), message);
        assertFalse(message.contains("12345"), message);
    }

    @Test
    @DisplayName("what base URL errors show, and an '@' after the host (a password holding '/') is refused")
    void baseUrlDescriptions() {
        assertEquals("The base URL 'https://api.anthropic.com' is not allowed: it may not carry user info, a query "
                + "or a fragment.", assertThrows(ConfigurationException.class,
                        () -> ConfigResolver.baseUrl("https://api.anthropic.com/v1?key=k")).getMessage());
        assertEquals("The base URL 'http://api.example.com:8080' is not allowed: the identity token would be sent in "
                + "clear text. Use https://, or http:// only to localhost, 127.0.0.1 or [::1].",
                assertThrows(ConfigurationException.class,
                        () -> ConfigResolver.baseUrl("http://api.example.com:8080/x")).getMessage());
        // Java reads "https://u:12345/pw@host" as host "u", port 12345: it was accepted, and sent tokens to "u".
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> ConfigResolver.baseUrl("https://u:12345/pw@api.anthropic.com"));
        assertTrue(e.getMessage().startsWith("The base URL (a value of 36 characters, not shown: no host can be read "
                + "from it) is not allowed: it may not carry user info"), e.getMessage());
        assertEquals("https://127.0.0.1:8080", ConfigResolver.baseUrl("https://127.0.0.1:8080/").toString());
    }

    @Test
    @DisplayName("a line break in the rule id, the profile name or a profile's values is escaped, not printed")
    void lineBreaksAreEscaped() throws IOException {
        String rule = error(ctx().env("ANTHROPIC_FEDERATION_RULE_ID", "fdrl_x\nWARNING forged line")
                .env("ANTHROPIC_ORGANIZATION_ID", ORG));
        assertEquals("The federation rule id 'fdrl_x\\nWARNING forged line' is malformed: expected fdrl_ followed by "
                + "letters and digits.", rule);
        String profileName = error(ctx().env("ANTHROPIC_PROFILE", "a/b\r\nforged"));
        assertEquals("ANTHROPIC_PROFILE 'a/b\\r\\nforged' is not a valid profile name: use letters, digits, '_', '-' "
                + "and '.', not starting with '.', with no path separators and no '..'.", profileName);
        Files.writeString(cfg().resolve("configs/x.json"), "{\"authentication\":{\"type\":\"oidc\\nforged\"}}");
        String type = error(ctx().env("ANTHROPIC_PROFILE", "x"));
        assertTrue(type.contains("has authentication type 'oidc\\nforged'"), type);
        assertOneLine(type);
        Path odd = Files.createDirectories(root.resolve("odd\ndir/configs")).getParent();
        String missing = error(ctx().env("ANTHROPIC_CONFIG_DIR", "/odd\ndir").env("ANTHROPIC_PROFILE", "p"));
        assertTrue(missing.contains(odd.toString().replace("\n", "\\n")), missing);
        assertOneLine(missing);
    }

    @Test
    @DisplayName("valid settings resolve as before")
    void validSettings() {
        FederationSettings s = ConfigResolver.resolve(ctx().env("ANTHROPIC_FEDERATION_RULE_ID", "fdrl_abc")
                .env("ANTHROPIC_ORGANIZATION_ID", ORG).env("ANTHROPIC_BASE_URL", "http://localhost:8080/"),
                NOTHING).settings();
        assertEquals("fdrl_abc", s.federationRuleId());
        assertEquals("http://localhost:8080", s.baseUrl().toString());
    }
}
