package dev.wif4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wif4j.WorkloadIdentity;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discovery as users meet it: separate JVMs with wif4j-core, Jackson, and an in-house provider
 * that exists only in a jar this test compiles, on the class path and on the module path.
 */
class DiscoveryScenariosTest {
    @TempDir
    static Path work;

    static Path vaultJar;
    static Path twinJar;
    static Path appJar;
    static List<Path> libraries;

    /** An in-house provider, as a user would write it: a module that provides the SPI. */
    private static final String VAULT = """
            package com.acme.vault;

            import dev.wif4j.spi.*;
            import java.nio.charset.StandardCharsets;
            import java.util.Base64;
            import java.util.UUID;

            public final class VaultIdentityProvider implements IdentityProvider {
                public VaultIdentityProvider() {}
                public String id() { return "acme-vault"; }
                public int priority() { return 100; }
                public Detection detect(DetectionContext ctx) {
                    return ctx.env("ACME_VAULT_ADDR").map(a -> Detection.available("ACME_VAULT_ADDR is " + a))
                            .orElseGet(() -> Detection.unavailable("ACME_VAULT_ADDR is not set"));
                }
                public IdentityTokenSource open(DetectionContext ctx) {
                    return () -> IdentityToken.parse(part("{\\"alg\\":\\"RS256\\",\\"kid\\":\\"k\\"}") + "."
                            + part("{\\"iss\\":\\"https://vault.acme.test\\",\\"sub\\":\\"acme:billing\\",\\"jti\\":\\""
                            + UUID.randomUUID() + "\\"}") + ".c2ln");
                }
                private static String part(String json) {
                    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
                }
            }
            """;

    private static final String APP = """
            package com.acme.app;

            import dev.wif4j.WorkloadIdentity;

            public final class Main {
                public static void main(String[] args) {
                    try (WorkloadIdentity identity = WorkloadIdentity.fromEnvironment()) {
                        System.out.print(identity.detection().toTable());
                        System.out.println("chosen=" + identity.providerId());
                        System.out.println("subject=" + identity.fetchIdentityToken().subject().orElse("?"));
                        System.out.println("module=" + identity.getClass().getModule().getName());
                    } catch (RuntimeException e) {
                        System.out.println("error=" + e.getClass().getSimpleName() + ": " + e.getMessage());
                        System.exit(3);
                    }
                }
            }
            """;

    @BeforeAll
    static void buildJars() throws IOException {
        libraries = List.of(location(WorkloadIdentity.class), location(ObjectMapper.class),
                location(JsonFactory.class), location(JsonProperty.class));
        String modulePath = libraries.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
        vaultJar = module("com.acme.vault", VAULT.replace("package com.acme.vault;", "package com.acme.vault;"),
                "com/acme/vault/VaultIdentityProvider.java", "requires dev.wif4j;\n"
                        + "provides dev.wif4j.spi.IdentityProvider with com.acme.vault.VaultIdentityProvider;",
                "com.acme.vault.VaultIdentityProvider", modulePath);
        // The same id from another class: a conflict users must be told about.
        twinJar = module("com.acme.twin", VAULT.replace("package com.acme.vault;", "package com.acme.twin;"),
                "com/acme/twin/VaultIdentityProvider.java", "requires dev.wif4j;\n"
                        + "provides dev.wif4j.spi.IdentityProvider with com.acme.twin.VaultIdentityProvider;",
                "com.acme.twin.VaultIdentityProvider", modulePath);
        appJar = module("com.acme.app", APP, "com/acme/app/Main.java", "requires dev.wif4j;", null, modulePath);
    }

    @Test
    void inHouseProviderIsFoundOnTheClassPath() throws Exception {
        Result r = run(false, List.of(vaultJar), Map.of("ACME_VAULT_ADDR", "https://vault.acme.test"));
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("chosen=acme-vault"), r.output());
        assertTrue(r.output().contains("subject=acme:billing"), r.output());
        assertTrue(r.output().contains("module=null"), "class path: unnamed module\n" + r.output());
        assertTrue(r.output().matches("(?s).*acme-vault\\s+100\\s+chosen\\s+ACME_VAULT_ADDR is https://vault.acme.test.*"),
                r.output());
    }

    @Test
    void inHouseProviderIsFoundOnTheModulePath() throws Exception {
        Result r = run(true, List.of(vaultJar), Map.of("ACME_VAULT_ADDR", "https://vault.acme.test"));
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("chosen=acme-vault"), r.output());
        assertTrue(r.output().contains("subject=acme:billing"), r.output());
        assertTrue(r.output().contains("module=dev.wif4j"), "module path: named module\n" + r.output());
    }

    @Test
    void builtInsAloneExplainThatAProviderJarIsMissing() throws Exception {
        for (boolean modulePath : new boolean[] {false, true}) {
            Result r = run(modulePath, List.of(), Map.of());
            assertEquals(3, r.exit(), r.output());
            assertTrue(r.output().contains("error=IdentityProviderNotFoundException: No identity source found: only "
                    + "wif4j-core is installed"), r.output());
        }
    }

    @Test
    void installedButUnavailableProvidersAreListedWithTheirReasons() throws Exception {
        Result r = run(true, List.of(vaultJar), Map.of());
        assertEquals(3, r.exit(), r.output());
        assertTrue(r.output().contains("No identity provider is available here. Providers tried:"), r.output());
        assertTrue(r.output().contains("  - acme-vault (" + vaultJar.toUri()) || r.output().contains("  - acme-vault (module com.acme.vault)"),
                r.output());
        assertTrue(r.output().contains("): ACME_VAULT_ADDR is not set"), r.output());
    }

    @Test
    void twoProvidersWithOneIdAreRefusedNamingBoth() throws Exception {
        Result r = run(false, List.of(vaultJar, twinJar), Map.of("ACME_VAULT_ADDR", "https://vault.acme.test"));
        assertNotEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("Two identity providers have the id 'acme-vault': "), r.output());
        assertTrue(r.output().contains("com.acme.vault.VaultIdentityProvider") && r.output().contains("com.acme.twin.VaultIdentityProvider"),
                r.output());
    }

    @Test
    void explicitChoiceOfAMissingBuiltInNamesTheArtifact() throws Exception {
        Result r = run(false, List.of(vaultJar), Map.of("WIF4J_PROVIDER", "gcp", "ACME_VAULT_ADDR", "x"));
        assertEquals(3, r.exit(), r.output());
        assertTrue(r.output().contains("WIF4J_PROVIDER is 'gcp', but wif4j-provider-gcp is not installed: add the "
                + "dependency dev.wif4j:wif4j-provider-gcp (its version comes from wif4j-bom). Installed providers: "
                + "acme-vault, file, literal."), r.output());
    }

    private record Result(int exit, String output) {}

    private static Result run(boolean modulePath, List<Path> extra, Map<String, String> env) throws Exception {
        List<Path> path = new ArrayList<>(libraries);
        path.addAll(extra);
        path.add(appJar);
        String joined = path.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.add("-Duser.home=" + work.resolve("home"));
        if (modulePath) {
            command.addAll(List.of("--module-path", joined, "-m", "com.acme.app/com.acme.app.Main"));
        } else {
            command.addAll(List.of("-cp", joined, "com.acme.app.Main"));
        }
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        // A clean environment: the child sees only what the scenario sets.
        pb.environment().clear();
        pb.environment().put("ANTHROPIC_FEDERATION_RULE_ID", "fdrl_scenario");
        pb.environment().put("ANTHROPIC_ORGANIZATION_ID", "123e4567-e89b-12d3-a456-426614174000");
        pb.environment().put("ANTHROPIC_CONFIG_DIR", work.resolve("config").toString());
        pb.environment().put("AWS_EC2_METADATA_DISABLED", "true");
        pb.environment().putAll(env);
        Process p = pb.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var in = p.getInputStream()) {
            in.transferTo(out);
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8));
    }

    private static Path module(String name, String source, String sourcePath, String directives, String service,
            String modulePath) throws IOException {
        Path src = work.resolve(name + "-src");
        Path classes = work.resolve(name + "-classes");
        Files.createDirectories(src.resolve(sourcePath).getParent());
        Files.writeString(src.resolve(sourcePath), source);
        Files.writeString(src.resolve("module-info.java"), "module " + name + " {\n" + directives + "\n}\n");
        Files.createDirectories(classes);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        List<String> options = List.of("--release", "17", "--module-path", modulePath, "-d", classes.toString());
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            boolean ok = javac.getTask(diagnostics, files, null, options, null,
                    files.getJavaFileObjects(src.resolve("module-info.java"), src.resolve(sourcePath))).call();
            assertTrue(ok, diagnostics.toString());
        }
        Path jar = work.resolve(name + ".jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
                Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(f));
                out.closeEntry();
            }
            if (service != null) {
                out.putNextEntry(new JarEntry("META-INF/services/dev.wif4j.spi.IdentityProvider"));
                out.write((service + "\n").getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return jar;
    }

    private static Path location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
