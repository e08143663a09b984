package dev.wif4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.ConfigurationException;
import dev.wif4j.IdentityProviderException;
import dev.wif4j.IdentityProviderNotFoundException;
import dev.wif4j.TokenExchangeException;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.testkit.AnthropicEmulator;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.Fault;
import dev.wif4j.testkit.OidcIssuer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bad-input cases of docs/RELIABILITY.md that FileProviderTest, TokenExchangeFaultsTest and
 * ConfigurationTest do not already cover: each gets an error naming the problem, and after it the same
 * {@link WorkloadIdentity} still works once the input is good again.
 */
class BadInputTest {
    static final String TOKEN_FILE = "/var/run/secrets/anthropic.com/token";
    static final String ORG = "123e4567-e89b-12d3-a456-426614174000";
    static final String SECRETISH = "c2VjcmV0LW1hdGVyaWFs";

    static OidcIssuer idp;
    static AnthropicEmulator anthropic;
    static String ruleId;

    @BeforeAll
    static void start() {
        idp = OidcIssuer.start();
        anthropic = AnthropicEmulator.start();
        ruleId = anthropic.trust(idp, "workload");
    }

    @AfterAll
    static void stop() {
        anthropic.close();
        idp.close();
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    // --- token files -----------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        not base64url      | eyJhbGciOiJSUzI1NiJ9.eyJ+c2VjcmV0/.c2ln | its payload part is not base64url text.
        payload an array   | eyJhbGciOiJSUzI1NiJ9.WzEsMiwzXQ.c2VjcmV0LW1hdGVyaWFs | its payload is JSON but not an object.
        payload a string   | eyJhbGciOiJSUzI1NiJ9.InN0cmluZyI.c2VjcmV0LW1hdGVyaWFs | its payload is JSON but not an object.
        payload not JSON   | eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2VjcmV0LW1hdGVyaWFs | its payload part is not JSON.
        header without alg | e30.e30.c2VjcmV0LW1hdGVyaWFs | The identity token's header has no 'alg'.
        unsigned           | eyJhbGciOiJub25lIn0.e30. | signature part is empty (an unsigned token, which Anthropic refuses).
        five parts (JWE)   | a.b.c.d.e | found 5 (an encrypted JWE, which Anthropic does not accept).
        """)
    void malformedTokenFilesAreNamedAndThenRecovered(String what, String content, String expectedEnd) throws Exception {
        FakeDetectionContext world = FakeDetectionContext.builder()
                .env("ANTHROPIC_FEDERATION_RULE_ID", ruleId)
                .env("ANTHROPIC_ORGANIZATION_ID", anthropic.organizationId())
                .env("ANTHROPIC_BASE_URL", anthropic.baseUrl())
                .env("ANTHROPIC_IDENTITY_TOKEN_FILE", TOKEN_FILE)
                .file(TOKEN_FILE, content).build();
        try (world; WorkloadIdentity identity = WorkloadIdentity.builder().context(world).build()) {
            IdentityProviderException e = assertThrows(IdentityProviderException.class, () -> identity.credentials().token());
            assertTrue(e.getMessage().startsWith("Identity token file " + TOKEN_FILE + " (ANTHROPIC_IDENTITY_TOKEN_FILE): "),
                    e.getMessage());
            assertTrue(e.getMessage().endsWith(expectedEnd), what + ": " + e.getMessage());
            assertFalse(e.getMessage().contains(SECRETISH), "the file's content is not echoed");
            assertEquals(0, e.getMessage().chars().filter(c -> c == '\n').count());
            // Nothing else broke: the next fetch reads the rotated, good file.
            world.writeFile(TOKEN_FILE, idp.mint().sign());
            assertTrue(identity.credentials().token().value().startsWith("sk-ant-oat01-"));
        }
    }

    @Test
    void tokenFileWithBothBinaryAndValidLookingTextIsStillRefusedAsBinary() {
        byte[] bytes = (idp.mint().sign() + "\u0000").getBytes(StandardCharsets.UTF_8);
        bytes[bytes.length - 1] = (byte) 0xC0; // an invalid UTF-8 lead byte after a valid JWT
        FakeDetectionContext world = FakeDetectionContext.builder()
                .env("ANTHROPIC_IDENTITY_TOKEN_FILE", TOKEN_FILE).file(TOKEN_FILE, bytes).build();
        try (world; WorkloadIdentity identity = WorkloadIdentity.builder().context(world)
                .federationRuleId(ruleId).organizationId(ORG).build()) {
            IdentityProviderException e = assertThrows(IdentityProviderException.class, identity::fetchIdentityToken);
            assertTrue(e.getMessage().endsWith("it is not UTF-8 text (a binary file?)."), e.getMessage());
        }
    }

    // --- exchange responses ----------------------------------------------------------------------

    private static WorkloadIdentity exchanging() {
        return WorkloadIdentity.builder().context(FakeDetectionContext.empty())
                .federationRuleId(ruleId).organizationId(anthropic.organizationId()).baseUrl(anthropic.baseUrl())
                .identityTokenSupplier(() -> idp.mint().sign())
                .retries(1, Duration.ofMillis(10), Duration.ofMillis(10))
                .exchangeTimeout(Duration.ofSeconds(2))
                .build();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        HTML on 200        | text/html        | <html><body>Welcome to the captive portal</body></html> | it is not a JSON object (55 bytes)
        truncated JSON     | application/json | {"access_token":"sk-ant-oat01-TRUNC","expires_in":36 | it is not a JSON object (52 bytes)
        empty body         | application/json | ''                                                      | it is not a JSON object (0 bytes)
        JSON array         | application/json | [{"access_token":"sk-ant-oat01-ARRAY"}]              | it is not a JSON object
        blank access token | application/json | {"access_token":"  ","expires_in":3600}             | it has no access_token
        numeric token      | application/json | {"access_token":12345,"expires_in":3600}             | it has no access_token
        negative expiry    | application/json | {"access_token":"sk-ant-oat01-NEG","expires_in":-60} | its expires_in, -60, is not between 1 and 864000 seconds
        zero expiry        | application/json | {"access_token":"sk-ant-oat01-ZERO","expires_in":0}  | its expires_in, 0, is not between 1 and 864000 seconds
        absurd expiry      | application/json | {"access_token":"sk-ant-oat01-BIG","expires_in":315360000000} | its expires_in, 315360000000, is not between 1 and 864000 seconds
        beyond a long      | application/json | {"access_token":"sk-ant-oat01-HUGE","expires_in":123456789012345678901234567890} | its expires_in, an unexpected number of 30 characters, is not between
        fractional expiry  | application/json | {"access_token":"sk-ant-oat01-FRAC","expires_in":3599.5} | its expires_in is 3599.5, not a whole number of seconds
        token_type echoed  | application/json | {"access_token":"sk-ant-oat01-ECHO","token_type":"sk-ant-oat01-ECHO","expires_in":60} | its token_type is an unexpected string of 19 characters, not Bearer
        """)
    void invalidTokenResponsesAreNamedWithoutQuotingThem(String what, String contentType, String body, String expected) {
        anthropic.enqueue(Fault.response(200, contentType, body));
        try (WorkloadIdentity identity = exchanging()) {
            TokenExchangeException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> assertThrows(TokenExchangeException.class, () -> identity.credentials().token()));
            assertTrue(e.getMessage().contains("answered HTTP 200") && e.getMessage().contains("with an invalid token response: " + expected),
                    what + ": " + e.getMessage());
            assertFalse(e.getMessage().contains("sk-ant-oat01-"), "no access token in the message: " + e.getMessage());
            assertFalse(e.getMessage().contains("captive portal"), "the body is not quoted");
            assertEquals(200, e.statusCode());
            // Nothing else broke: the next call exchanges normally.
            assertTrue(identity.credentials().token().value().startsWith("sk-ant-oat01-"));
        }
    }

    // --- configuration ---------------------------------------------------------------------------

    private static FakeDetectionContext.Builder configured() {
        return FakeDetectionContext.builder()
                .systemProperty("user.home", "/home/app")
                .env("ANTHROPIC_IDENTITY_TOKEN_FILE", TOKEN_FILE)
                .env("ANTHROPIC_FEDERATION_RULE_ID", "fdrl_x")
                .env("ANTHROPIC_ORGANIZATION_ID", ORG);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost.attacker.example", "http://127.0.0.1.nip.io", "http://127.0.0.2",
        "http://0.0.0.0:8080", "http://[::ffff:127.0.0.1]", "http://2130706433"})
    void httpToHostsThatOnlyLookLoopbackIsRefused(String url) {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> WorkloadIdentity.builder().context(configured().env("ANTHROPIC_BASE_URL", url).build()).build());
        assertTrue(e.getMessage().contains("is not allowed: the identity token would be sent in clear text"),
                e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://user:pw@api.anthropic.com", "https://api.anthropic.com?x=1",
        "https://api.anthropic.com#frag"})
    void baseUrlsWithCredentialsQueriesOrFragmentsAreRefused(String url) {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> WorkloadIdentity.builder().context(configured().env("ANTHROPIC_BASE_URL", url).build()).build());
        assertTrue(e.getMessage().endsWith("it may not carry user info, a query or a fragment."), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../etc/passwd", "prod/../../x", "C:\\x", "a\u0000b", "-"})
    void profileNamesGivenInCodeAreCheckedToo(String name) {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> WorkloadIdentity.builder().context(configured().build()).profile(name).build());
        if (!name.equals("-")) {
            assertTrue(e.getMessage().contains("is not a valid profile name"), e.getMessage());
        } else {
            assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        }
    }

    @Test
    void unknownProviderNamedInTheEnvironmentListsTheInstalledOnes() {
        IdentityProviderNotFoundException e = assertThrows(IdentityProviderNotFoundException.class,
                () -> WorkloadIdentity.builder().context(configured().env("WIF4J_PROVIDER", "vault").build()).build());
        assertTrue(e.getMessage().startsWith("WIF4J_PROVIDER is 'vault', but no installed provider has that id. "
                + "Installed providers: file, literal"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        ANTHROPIC_FEDERATION_RULE_ID | fdrl_ab-c | The federation rule id 'fdrl_ab-c' is malformed
        ANTHROPIC_FEDERATION_RULE_ID | fdrl_     | The federation rule id 'fdrl_' is malformed
        ANTHROPIC_ORGANIZATION_ID    | 123e4567-e89b-12d3-a456-42661417400 | The organization id '123e4567-e89b-12d3-a456-42661417400' is malformed
        ANTHROPIC_SERVICE_ACCOUNT_ID | user_1    | The service account id 'user_1' is malformed: expected svac_
        ANTHROPIC_WORKSPACE_ID       | Default   | The workspace id 'Default' is malformed
        """)
    void malformedIdsAreNamed(String variable, String value, String expectedStart) {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> WorkloadIdentity.builder().context(configured().env(variable, value).build()).build());
        assertTrue(e.getMessage().startsWith(expectedStart), e.getMessage());
    }
}
