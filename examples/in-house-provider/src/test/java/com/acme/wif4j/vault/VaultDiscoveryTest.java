package com.acme.wif4j.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.testkit.OidcIssuer;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    @Test
    @DisplayName("on the class path, ServiceLoader finds acme-vault through META-INF/services; detect() chooses it")
    void foundOnTheClassPath() throws Exception {
        List<String> lines = run(false);
        assertTrue(lines.contains("provider-module=null"), "class path: the unnamed module\n" + lines);
        assertFoundAndUsed(lines);
    }

    @Test
    @DisplayName("on the module path, service binding finds acme-vault through provides; detect() chooses it")
    void foundOnTheModulePath() throws Exception {
        List<String> lines = run(true);
        assertTrue(lines.contains("provider-module=com.acme.wif4j.vault"), "module path: the named module\n" + lines);
        assertFoundAndUsed(lines);
    }

    private static void assertFoundAndUsed(List<String> lines) {
        assertTrue(lines.stream().anyMatch(l -> l.matches("acme-vault\\s+60\\s+chosen\\s+VAULT_ADDR is "
                + vault.address().replace(".", "\\.") + ", role 'wif4j' \\(WIF4J_ACME_VAULT_ROLE\\), Vault token from "
                + "VAULT_TOKEN")), String.join("\n", lines));
        assertTrue(lines.contains("chosen=acme-vault"), String.join("\n", lines));
        assertTrue(lines.contains("subject=" + VaultEmulator.ENTITY_ID), String.join("\n", lines));
    }

    private List<String> run(boolean modulePath) throws Exception {
        List<Path> libraries = List.of(location(WorkloadIdentity.class), location(ObjectMapper.class),
                location(JsonFactory.class), location(JsonProperty.class), location(VaultIdentityProvider.class));
        String wif4j = libraries.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
        String application = location(discovery.Main.class).toString();
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-Duser.home=" + home, "-Djava.net.preferIPv4Stack=true"));
        if (modulePath) {
            command.addAll(List.of("--module-path", wif4j, "--add-modules", "dev.wif4j", "-cp", application));
        } else {
            command.addAll(List.of("-cp", wif4j + File.pathSeparator + application));
        }
        command.add("discovery.Main");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().clear(); // the child sees only what is set here
        pb.environment().put("AWS_EC2_METADATA_DISABLED", "true");
        pb.environment().put("ANTHROPIC_FEDERATION_RULE_ID", "fdrl_discovery");
        pb.environment().put("ANTHROPIC_ORGANIZATION_ID", "123e4567-e89b-12d3-a456-426614174000");
        pb.environment().put("ANTHROPIC_CONFIG_DIR", home.resolve("anthropic").toString());
        pb.environment().put("VAULT_ADDR", vault.address());
        pb.environment().put("VAULT_TOKEN", VAULT_TOKEN);
        pb.environment().put("WIF4J_ACME_VAULT_ROLE", "wif4j");
        Process process = pb.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish");
        assertEquals(0, process.exitValue(), output + "\ncommand: " + command);
        return Arrays.stream(output.split("\\R")).map(String::strip).toList();
    }

    private static Path location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
