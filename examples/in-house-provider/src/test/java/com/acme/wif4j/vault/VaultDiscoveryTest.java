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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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

    /** Starts discovery.Main as a workload starts it: a JVM of its own, only the variables given, home here. */
    private List<String> run(Where where) throws Exception {
        List<String> wif4j = Stream.of(WorkloadIdentity.class, ObjectMapper.class, JsonFactory.class, JsonProperty.class,
                VaultIdentityProvider.class).map(VaultDiscoveryTest::location).toList();
        String application = location(discovery.Main.class);
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-Duser.home=" + home, "-Djava.net.preferIPv4Stack=true"));
        if (where == Where.MODULE_PATH) {
            command.addAll(List.of("--module-path", String.join(File.pathSeparator, wif4j),
                    "--add-modules", "dev.wif4j", "-cp", application));
        } else {
            command.addAll(List.of("-cp", String.join(File.pathSeparator, wif4j) + File.pathSeparator + application));
        }
        command.add("discovery.Main");
        Path stdout = home.resolve("stdout.txt");
        Path stderr = home.resolve("stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        builder.environment().clear();   // nothing from the machine the test runs on
        builder.environment().putAll(Map.of("AWS_EC2_METADATA_DISABLED", "true",
                "ANTHROPIC_FEDERATION_RULE_ID", "fdrl_discovery",
                "ANTHROPIC_ORGANIZATION_ID", "123e4567-e89b-12d3-a456-426614174000",
                "VAULT_ADDR", vault.address(), "VAULT_TOKEN", VAULT_TOKEN, "WIF4J_ACME_VAULT_ROLE", "wif4j"));
        Process process = builder.start();
        boolean exited = process.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly().waitFor();
        }
        String output = "stdout:\n" + Files.readString(stdout) + "\nstderr:\n" + Files.readString(stderr);
        assertTrue(exited, "discovery.Main did not exit within 60 s\n" + output);
        assertEquals(0, process.exitValue(), output);
        return Files.readAllLines(stdout).stream().map(String::strip).toList();
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
