package dev.wif4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.ConfigurationException;
import dev.wif4j.FederationSettings;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.testkit.FakeDetectionContext;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Anthropic's configuration variables and profile files, with their documented precedence. */
class ConfigurationTest {
    static final String ORG = "123e4567-e89b-12d3-a456-426614174000";
    static final String OTHER_ORG = "00000000-0000-4000-8000-000000000001";
    static final String HOME = "/home/app";
    static final String CONFIG = HOME + "/.config/anthropic";

    private static FakeDetectionContext.Builder withToken() {
        return FakeDetectionContext.builder()
                .systemProperty("user.home", HOME)
                .systemProperty("os.name", "Linux")
                .env("ANTHROPIC_IDENTITY_TOKEN_FILE", "/token");
    }

    private static FederationSettings settings(FakeDetectionContext context) {
        try (WorkloadIdentity identity = WorkloadIdentity.builder().context(context).build()) {
            return identity.settings();
        }
    }

    private static String error(FakeDetectionContext context) {
        return assertThrows(ConfigurationException.class,
                () -> WorkloadIdentity.builder().context(context).build()).getMessage();
    }

    private static String profile(String rule, String org, String extra) {
        return "{\"version\":\"1.0\",\"authentication\":{\"type\":\"oidc_federation\",\"federation_rule_id\":\""
                + rule + "\"" + extra + "},\"organization_id\":\"" + org + "\"}";
    }

    @Test
    void federationVariablesConfigureTheExchange() {
        FederationSettings s = settings(withToken()
                .env("ANTHROPIC_FEDERATION_RULE_ID", "fdrl_env")
                .env("ANTHROPIC_ORGANIZATION_ID", ORG)
                .env("ANTHROPIC_SERVICE_ACCOUNT_ID", "svac_env")
                .env("ANTHROPIC_WORKSPACE_ID", "wrkspc_env")
                .env("ANTHROPIC_BASE_URL", "https://gateway.example.com/")
                .build());
        assertEquals("fdrl_env", s.federationRuleId());
        assertEquals(ORG, s.organizationId());
        assertEquals(Optional.of("svac_env"), s.serviceAccountId());
        assertEquals(Optional.of("wrkspc_env"), s.workspaceId());
        assertEquals(URI.create("https://gateway.example.com"), s.baseUrl(), "trailing slash trimmed");
        assertEquals(URI.create("https://gateway.example.com/v1/oauth/token"), s.tokenEndpoint());
        assertEquals("environment", s.source());
    }

    @Test
    void defaultsAreTheAnthropicApiAndNoOptionalIds() {
        FederationSettings s = settings(withToken()
                .env("ANTHROPIC_FEDERATION_RULE_ID", "fdrl_env").env("ANTHROPIC_ORGANIZATION_ID", ORG)
                .env("ANTHROPIC_WORKSPACE_ID", "").build());
        assertEquals(URI.create("https://api.anthropic.com"), s.baseUrl());
        assertEquals(Optional.empty(), s.serviceAccountId());
        assertEquals(Optional.empty(), s.workspaceId(), "an empty variable counts as unset");
    }

    @Test
    void explicitProfileWinsAndVariablesOnlyFillItsGaps() {
        FederationSettings s = settings(withToken()
                .env("ANTHROPIC_PROFILE", "prod")
                .env("ANTHROPIC_FEDERATION_RULE_ID", "fdrl_env")
                .env("ANTHROPIC_ORGANIZATION_ID", OTHER_ORG)
                .env("ANTHROPIC_WORKSPACE_ID", "wrkspc_fromenv")
                .file(CONFIG + "/configs/prod.json", profile("fdrl_prod", ORG, ""))
                .build());
        assertEquals("fdrl_prod", s.federationRuleId());
        assertEquals(ORG, s.organizationId());
        assertEquals(Optional.of("wrkspc_fromenv"), s.workspaceId(), "the variable fills a field the file leaves empty");
        assertEquals(Optional.of("prod"), s.profile());
        assertTrue(s.source().startsWith("profile 'prod' ("), s.source());
    }

    @Test
    void codeBeatsProfileAndVariables() {
        FakeDetectionContext context = withToken()
                .env("ANTHROPIC_PROFILE", "prod")
                .file(CONFIG + "/configs/prod.json", profile("fdrl_prod", ORG, ""))
                .build();
        try (WorkloadIdentity identity = WorkloadIdentity.builder().context(context)
                .federationRuleId("fdrl_code").workspaceId("default").build()) {
            assertEquals("fdrl_code", identity.settings().federationRuleId());
            assertEquals(Optional.of("default"), identity.settings().workspaceId());
        }
    }

    @Test
    void missingExplicitProfileNamesTheFile() {
        FakeDetectionContext context = withToken().env("ANTHROPIC_PROFILE", "prod").build();
        String message = error(context);
        assertEquals("ANTHROPIC_PROFILE is 'prod', but " + context.path(CONFIG).resolve("configs").resolve("prod.json")
                + " does not exist. Create it, or unset ANTHROPIC_PROFILE.", message);
    }

    @Test
    void variablesBeatALeftoverDefaultProfile() {
        FederationSettings s = settings(withToken()
                .env("ANTHROPIC_FEDERATION_RULE_ID", "fdrl_env").env("ANTHROPIC_ORGANIZATION_ID", ORG)
                .file(CONFIG + "/configs/default.json", profile("fdrl_default", OTHER_ORG, ""))
                .build());
        assertEquals("fdrl_env", s.federationRuleId());
        assertEquals(ORG, s.organizationId());
    }

    @Test
    void activeProfileIsUsedWhenNothingElseIsSet() {
        FederationSettings s = settings(withToken()
                .file(CONFIG + "/active_config", "staging\n")
                .file(CONFIG + "/configs/staging.json", profile("fdrl_staging", ORG,
                        ",\"identity_token\":{\"source\":\"file\",\"path\":\"/profile/token\"}"))
                .build());
        assertEquals("fdrl_staging", s.federationRuleId());
        assertEquals(Optional.of("staging"), s.profile());
    }

    @Test
    void profileIdentityTokenPathIsUsedByTheFileProvider() {
        FakeDetectionContext context = withToken()
                .env("ANTHROPIC_CONFIG_DIR", "/etc/anthropic")
                .file("/etc/anthropic/configs/default.json", profile("fdrl_default", ORG,
                        ",\"identity_token\":{\"source\":\"file\",\"path\":\"/profile/token\"}"))
                .build();
        try (WorkloadIdentity identity = WorkloadIdentity.builder().context(context).build()) {
            assertEquals("file", identity.providerId());
            assertTrue(identity.detection().toTable().contains("the setting file.path names /profile/token"),
                    identity.detection().toTable());
        }
    }

    @Test
    void userOauthProfilesAreRefused() {
        String message = error(withToken().env("ANTHROPIC_PROFILE", "me")
                .file(CONFIG + "/configs/me.json", "{\"authentication\":{\"type\":\"user_oauth\"}}").build());
        assertTrue(message.endsWith("has authentication type 'user_oauth'; wif4j reads only 'oidc_federation' profiles "
                + "(user_oauth is an interactive login, not a workload identity)."), message);
    }

    @Test
    void malformedProfileJsonIsNamed() {
        String message = error(withToken().env("ANTHROPIC_PROFILE", "broken")
                .file(CONFIG + "/configs/broken.json", "{not json").build());
        assertTrue(message.endsWith("broken.json is not valid JSON."), message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../etc", "a/b", "..", ".hidden", "a\\b", "x..y"})
    void profileNamesWithSeparatorsOrDotsAreRefused(String name) {
        String message = error(withToken().env("ANTHROPIC_PROFILE", name).build());
        // Escaped as every quoted value is (issue 27, L2): a backslash shows doubled.
        assertEquals("ANTHROPIC_PROFILE '" + name.replace("\\", "\\\\") + "' is not a valid profile name: use letters, "
                + "digits, '_', '-' and '.', not starting with '.', with no path separators and no '..'.", message);
    }

    @Test
    void activeConfigWithATraversalIsRefused() {
        String message = error(withToken().file(CONFIG + "/active_config", "../../secrets").build());
        // The content is never quoted (issue 27, M3): the file may be a secret, or a link planted to print one.
        assertTrue(message.contains("/active_config holds 13 bytes that are not a valid profile name (not shown)"),
                message);
        assertFalse(message.contains("secrets"), message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://api.example.com", "ftp://api.example.com", "http://10.0.0.1:8080", "not a url"})
    void nonHttpsNonLoopbackBaseUrlsAreRefused(String url) {
        String message = error(withToken().env("ANTHROPIC_FEDERATION_RULE_ID", "fdrl_x")
                .env("ANTHROPIC_ORGANIZATION_ID", ORG).env("ANTHROPIC_BASE_URL", url).build());
        // Scheme, host and port alone (issue 27, L1); a value with no readable host is not shown at all.
        assertTrue(message.startsWith(url.contains("://") ? "The base URL '" + url + "' is not"
                : "The base URL (a value of " + url.length() + " characters, not shown: no host can be read from it) is "
                + "not"), message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost:8080", "http://127.0.0.1:1234/", "http://[::1]:9", "https://api.anthropic.com"})
    void httpsAndLoopbackBaseUrlsAreAccepted(String url) {
        FederationSettings s = settings(withToken().env("ANTHROPIC_FEDERATION_RULE_ID", "fdrl_x")
                .env("ANTHROPIC_ORGANIZATION_ID", ORG).env("ANTHROPIC_BASE_URL", url).build());
        assertTrue(url.startsWith(s.baseUrl().toString()));
    }

    @Test
    void missingRuleAndOrganizationAreNamed() {
        assertEquals("Workload identity federation is not configured: ANTHROPIC_FEDERATION_RULE_ID (the fdrl_... id of "
                + "the federation rule) and ANTHROPIC_ORGANIZATION_ID (the organization's UUID) are not set, and no "
                + "profile file supplies them. Set the variables, or pass the values to WorkloadIdentity.builder().",
                error(withToken().build()));
    }

    @Test
    void malformedIdsAreNamedWithWhatIsAllowed() {
        assertEquals("The federation rule id 'rule-1' is malformed: expected fdrl_ followed by letters and digits.",
                error(withToken().env("ANTHROPIC_FEDERATION_RULE_ID", "rule-1").env("ANTHROPIC_ORGANIZATION_ID", ORG).build()));
        assertEquals("The organization id 'acme' is malformed: expected a UUID such as "
                + "123e4567-e89b-12d3-a456-426614174000.",
                error(withToken().env("ANTHROPIC_FEDERATION_RULE_ID", "fdrl_x").env("ANTHROPIC_ORGANIZATION_ID", "acme").build()));
        assertEquals("The workspace id 'ws1' is malformed: expected wrkspc_ followed by letters and digits, or 'default'.",
                error(withToken().env("ANTHROPIC_FEDERATION_RULE_ID", "fdrl_x").env("ANTHROPIC_ORGANIZATION_ID", ORG)
                        .env("ANTHROPIC_WORKSPACE_ID", "ws1").build()));
    }
}
