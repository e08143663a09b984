package dev.wif4j.provider.spiffe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * set-up, and drop the workaround from the README), in whichever of its two wordings the JVM gives it (they follow
 * the jars' paths, so another local repository gives the other one). The last proves the README's workaround.
 */
class SpiffeModulePathTest {
    /** The package java-spiffe 0.8 splits between java.spiffe.core and grpc.netty.linux. */
    static final String SPLIT = "io.spiffe.workloadapi.internal";

    private static final Pattern SPLIT_PACKAGE = Pattern.compile("[Pp]ackage " + Pattern.quote(SPLIT) + "(?![\\w.])");

    /**
     * Whether the JVM's output says it refused java-spiffe's split package: a resolution (or layer) error that names
     * the package and both modules. The JVM words it after the order it meets the modules in, which follows the
     * jars' paths: "Modules A and B export package P to module M" when a third module reads both, "Module A contains
     * package P, module B exports package P to A" when one of the two meets the other first.
     */
    static boolean refusesSplitPackage(String output) {
        return output.lines().anyMatch(line -> (line.contains("java.lang.module.ResolutionException: ")
                || line.contains("java.lang.LayerInstantiationException: "))
                && SPLIT_PACKAGE.matcher(line).find()
                && names(line, "java.spiffe.core") && names(line, "grpc.netty.linux"));
    }

    private static boolean names(String line, String module) {
        return Pattern.compile("(?<![\\w.])" + Pattern.quote(module) + "(?![\\w.])").matcher(line).find();
    }

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
        assertTrue(refusesSplitPackage(run.output), run.output);
        assertEquals(0, agent.requests().size());
    }

    @Test
    @DisplayName("the split package is recognised in either of the JVM's wordings, and no other resolution error is")
    void splitPackageInEitherWording() {
        assertTrue(refusesSplitPackage("Error occurred during initialization of boot layer\n"
                + "java.lang.module.ResolutionException: Modules java.spiffe.core and grpc.netty.linux export package "
                + SPLIT + " to module com.google.common\n"));
        assertTrue(refusesSplitPackage("Error occurred during initialization of boot layer\n"
                + "java.lang.module.ResolutionException: Module java.spiffe.core contains package " + SPLIT
                + ", module grpc.netty.linux exports package " + SPLIT + " to java.spiffe.core\n"));
        assertFalse(refusesSplitPackage("java.lang.module.ResolutionException: Modules java.spiffe.core and "
                + "grpc.netty.linux export package " + SPLIT + ".other to module com.google.common"));
        assertFalse(refusesSplitPackage("java.lang.module.ResolutionException: Modules a.b and grpc.netty.linux "
                + "export package " + SPLIT + " to module java.spiffe.core.x"));
        assertFalse(refusesSplitPackage("java.lang.module.FindException: Module java.spiffe.core not found, required "
                + "by grpc.netty.linux"));
        assertFalse(refusesSplitPackage("error=IdentityTokenException: java.spiffe.core and grpc.netty.linux, package "
                + SPLIT));
    }

    @Test
    @DisplayName("java-spiffe-core and grpc-netty-linux alone: the JVM's other wording of the same refusal is accepted")
    void twoJarsAloneGiveTheOtherWording() throws Exception {
        List<String> jars = modulePath(true).stream()
                .filter(e -> e.contains("java-spiffe-core") || e.contains("grpc-netty-linux")).toList();
        assertEquals(2, jars.size(), String.valueOf(jars));
        Process process = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "--module-path", String.join(File.pathSeparator, jars), "--add-modules", "java.spiffe.core", "-version")
                .redirectErrorStream(true).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertNotEquals(0, process.exitValue(), output);
        assertTrue(output.contains(" contains package " + SPLIT + ", module "), output);
        assertTrue(refusesSplitPackage(output), output);
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
