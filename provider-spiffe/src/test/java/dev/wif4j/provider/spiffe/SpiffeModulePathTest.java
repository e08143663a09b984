package dev.wif4j.provider.spiffe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider on the module path, in JVMs of their own with a clean environment, against the emulator's Unix socket.
 * java-spiffe and gRPC are automatic modules there (their jars declare no module), and an automatic module does not
 * bring in the explicit modules it needs (java-spiffe checks JWT-SVIDs with nimbus-jose-jwt), so the README's recipe
 * adds them with {@code --add-modules ALL-MODULE-PATH}; without it, the fetch says so.
 */
class SpiffeModulePathTest {
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
    @DisplayName("with --add-modules ALL-MODULE-PATH, wif4j finds the provider and fetches a JWT-SVID")
    void modulePathWorks() throws Exception {
        Run run = run(List.of("--add-modules", "ALL-MODULE-PATH"));
        assertEquals(0, run.exit, run.output);
        List<String> lines = Arrays.stream(run.output.split("\\R")).filter(l -> l.contains("=")).collect(Collectors.toList());
        assertTrue(lines.contains("provider-module=dev.wif4j.provider.spiffe"), run.output);
        assertTrue(lines.contains("chosen=spiffe"), run.output);
        assertTrue(lines.contains("subject=" + WorkloadApiEmulator.DEFAULT_SPIFFE_ID), run.output);
        assertTrue(lines.contains("spiffe-module=java.spiffe.core"), run.output);
        assertEquals(1, agent.requests().size());
        assertEquals(List.of(), agent.refusedAuthorities());
    }

    @Test
    @DisplayName("without it, the fetch fails with a sentence that names the option, not a NoClassDefFoundError")
    void withoutJavaSpiffesDependenciesSaysWhatToAdd() throws Exception {
        Run run = run(List.of());
        assertEquals(3, run.exit, run.output);
        // The child calls the facade, which reports a provider's failure as IdentityProviderException (same message).
        assertTrue(run.output.contains("error=IdentityProviderException: java-spiffe cannot check the JWT-SVID: a library "
                + "it needs is missing (NoClassDefFoundError: com/nimbusds/"), run.output);
        assertTrue(run.output.contains("On the module path, add --add-modules ALL-MODULE-PATH"), run.output);
        assertFalse(run.output.contains("Exception in thread"), run.output);
    }

    private record Run(int exit, String output) {
    }

    private Run run(List<String> options) throws Exception {
        List<String> classPath = new ArrayList<>();
        List<String> modulePath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = entry.replace('\\', '/');
            if (name.endsWith("/test-classes")) {
                classPath.add(entry); // modulepath.Main, in the unnamed module
            } else if (!name.matches(".*(testkit|junit|opentest4j|apiguardian|surefire|bcprov|bcpkix|bcutil).*")) {
                // provider-spiffe's classes, core, Jackson, java-spiffe and its gRPC, protobuf, Guava, commons jars
                modulePath.add(entry);
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
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish");
        return new Run(process.exitValue(), output);
    }
}
