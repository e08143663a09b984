package com.acme.wif4j.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.testkit.ChildProgram;
import dev.wif4j.testkit.OidcIssuer;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The provider as an application meets it: a JVM of its own with a clean environment, wif4j-core, Jackson
 * and this module's jar, and an application ({@code discovery.Main}) that never names the provider. Found on
 * the class path through {@code META-INF/services}, and on the module path through {@code provides} alone
 * (the only root is {@code dev.wif4j}, so service binding is what resolves the provider's module).
 */
class VaultDiscoveryTest {
    private static final String VAULT_TOKEN = "hvs.CAESIDiscovery";

    @TempDir
    Path home;

    private static OidcIssuer issuer;
    private static VaultEmulator vault;

    @BeforeAll
    static void start() {
        issuer = OidcIssuer.start();
        vault = VaultEmulator.start(issuer).acceptToken(VAULT_TOKEN).role("wif4j", OidcIssuer.DEFAULT_AUDIENCE);
    }

    @AfterAll
    static void stop() {
        vault.close();
        issuer.close();
    }

    /** Where the application puts wif4j and the provider, and the module ServiceLoader then names. */
    enum Where {
        CLASS_PATH("null", "on the class path, ServiceLoader finds acme-vault through META-INF/services"),
        MODULE_PATH("com.acme.wif4j.vault", "on the module path, service binding finds acme-vault through provides");

        private final String module;
        private final String description;

        Where(String module, String description) {
            this.module = module;
            this.description = description;
        }

        @Override
        public String toString() {
            return description;
        }
    }

    @ParameterizedTest(name = "{0}; detect() chooses it")
    @EnumSource(Where.class)
    void foundAndChosen(Where where) throws Exception {
        List<String> lines = run(where);
        String shown = String.join("\n", lines);
        assertTrue(lines.contains("provider-module=" + where.module), where + "\n" + shown);
        assertTrue(lines.stream().anyMatch(l -> l.matches("acme-vault\\s+60\\s+chosen\\s+VAULT_ADDR is "
                + vault.address().replace(".", "\\.") + ", role 'wif4j' \\(WIF4J_ACME_VAULT_ROLE\\), Vault token from "
                + "VAULT_TOKEN")), shown);
        assertTrue(lines.contains("chosen=acme-vault"), shown);
        assertTrue(lines.contains("subject=" + VaultEmulator.ENTITY_ID), shown);
    }

    private List<String> run(Where where) throws Exception {
        List<String> wif4j = Stream.of(WorkloadIdentity.class, ObjectMapper.class, JsonFactory.class, JsonProperty.class,
                VaultIdentityProvider.class).map(VaultDiscoveryTest::location).toList();
        String application = location(discovery.Main.class);
        ChildProgram child = where == Where.MODULE_PATH
                ? ChildProgram.of("discovery.Main", List.of(application)).modulePath(wif4j, "dev.wif4j")
                : ChildProgram.of("discovery.Main", Stream.concat(wif4j.stream(), Stream.of(application)).toList());
        ChildProgram.Run run = child.in(home).env(Map.of("AWS_EC2_METADATA_DISABLED", "true",
                        "ANTHROPIC_FEDERATION_RULE_ID", "fdrl_discovery",
                        "ANTHROPIC_ORGANIZATION_ID", "123e4567-e89b-12d3-a456-426614174000"))
                .env("VAULT_ADDR", vault.address()).env("VAULT_TOKEN", VAULT_TOKEN).env("WIF4J_ACME_VAULT_ROLE", "wif4j")
                .run();
        assertEquals(0, run.exit(), run.output());
        return run.stdout().lines().map(String::strip).toList();
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
