package dev.wif4j.provider.spiffe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.testkit.OidcIssuer;
import dev.wif4j.testkit.WorkloadApiEmulator;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider on the module path, in JVMs of their own with a clean environment. java-spiffe 0.8's jars carry no
 * module names and split the package {@code io.spiffe.workloadapi.internal} between {@code java-spiffe-core} and
 * {@code grpc-netty-linux} (spiffe/java-spiffe#108), so a plain module path cannot be resolved: the first test
 * records that failure and fails once a java-spiffe release fixes it (then make the module path the supported
 * set-up, and drop the workaround from the README). The second proves the README's workaround.
 */
class SpiffeModulePathTest {
    /** The JVM's words for the split package, as of java-spiffe 0.8.17 (it names the two in either order). */
    static final Pattern SPLIT_PACKAGE = Pattern.compile("java\\.lang\\.module\\.ResolutionException: Modules "
            + "(java\\.spiffe\\.core and grpc\\.netty\\.linux|grpc\\.netty\\.linux and java\\.spiffe\\.core) "
            + "export package io\\.spiffe\\.workloadapi\\.internal to module ");

    @TempDir
    Path home;

    private OidcIssuer issuer;
    private WorkloadApiEmulator agent;

    @BeforeEach
    void start() {
        issuer = OidcIssuer.start();
        agent = WorkloadApiEmulator.builder(issuer).unixSocket(home.resolve("agent.sock")).start();
    }

    @AfterEach
    void stop() {
        agent.close();
        issuer.close();
    }

    @Test
    @DisplayName("on a plain module path java-spiffe's split package stops the JVM before wif4j starts")
    void plainModulePathFails() throws Exception {
        Run run = run(modulePath(true), List.of());
        assertNotEquals(0, run.exit, run.output);
        assertTrue(SPLIT_PACKAGE.matcher(run.output).find(), run.output);
        assertEquals(0, agent.requests().size());
    }

    @Test
    @DisplayName("with grpc-netty-linux patched into java.spiffe.core, wif4j finds the provider and fetches a JWT-SVID")
    void patchedModulePathWorks() throws Exception {
        String transport = modulePath(true).stream().filter(e -> e.contains("grpc-netty-linux")).findFirst().orElseThrow();
        // grpc-netty-linux's one package joins java.spiffe.core's; with no module requiring them, java-spiffe's
        // explicit-module dependencies (commons-lang3, ...) are resolved only by ALL-MODULE-PATH.
        Run run = run(modulePath(false), List.of("--patch-module", "java.spiffe.core=" + transport,
                "--add-modules", "ALL-MODULE-PATH"));
        assertEquals(0, run.exit, run.output);
        List<String> lines = Arrays.stream(run.output.split("\\R")).filter(l -> l.contains("=")).collect(Collectors.toList());
        assertTrue(lines.contains("provider-module=dev.wif4j.provider.spiffe"), run.output);
        assertTrue(lines.contains("chosen=spiffe"), run.output);
        assertTrue(lines.contains("subject=" + WorkloadApiEmulator.DEFAULT_SPIFFE_ID), run.output);
        assertTrue(lines.contains("spiffe-module=java.spiffe.core"), run.output);
        assertEquals(1, agent.requests().size());
    }

    private record Run(int exit, String output) {
    }

    /** provider-spiffe's classes, core, Jackson, java-spiffe and its gRPC, protobuf, Guava and commons jars. */
    private static List<String> modulePath(boolean withTransport) {
        List<String> modulePath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = entry.replace('\\', '/');
            if (!withTransport && name.contains("grpc-netty-linux")) {
                continue;
            }
            if (!name.endsWith("/test-classes")
                    && !name.matches(".*(testkit|junit|opentest4j|apiguardian|surefire|bcprov|bcpkix|bcutil).*")) {
                modulePath.add(entry);
            }
        }
        return modulePath;
    }

    private Run run(List<String> modulePath, List<String> options) throws Exception {
        List<String> classPath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.replace('\\', '/').endsWith("/test-classes")) {
                classPath.add(entry); // modulepath.Main, in the unnamed module
            }
        }
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-Duser.home=" + home, "-Djava.net.preferIPv4Stack=true",
                "--module-path", String.join(File.pathSeparator, modulePath)));
        command.addAll(options);
        command.addAll(List.of("--add-modules", "dev.wif4j.provider.spiffe",
                "-cp", String.join(File.pathSeparator, classPath), "modulepath.Main"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().put("AWS_EC2_METADATA_DISABLED", "true");
        pb.environment().put("WIF4J_PROVIDER", "spiffe");
        pb.environment().put("SPIFFE_ENDPOINT_SOCKET", agent.address());
        pb.environment().put("ANTHROPIC_FEDERATION_RULE_ID", "fdrl_modulepath");
        pb.environment().put("ANTHROPIC_ORGANIZATION_ID", "123e4567-e89b-12d3-a456-426614174000");
        pb.environment().put("ANTHROPIC_CONFIG_DIR", home.resolve("anthropic").toString());
        Process process = pb.start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish");
        return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
