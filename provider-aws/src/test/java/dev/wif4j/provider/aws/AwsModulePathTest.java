package dev.wif4j.provider.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.testkit.AwsStsEmulator;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider on the module path: its descriptor's {@code requires} name the SDK's automatic modules
 * correctly, ServiceLoader finds it through {@code provides}, and the SDK works from there (its own
 * ServiceLoader lookups included), in a JVM with a clean environment.
 */
class AwsModulePathTest {
    @TempDir
    Path home;

    @Test
    @DisplayName("on the module path, wif4j finds the aws provider and the AWS SDK fetches a token from STS")
    void worksOnTheModulePath() throws Exception {
        List<String> modulePath = new ArrayList<>();
        List<String> classPath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = entry.replace('\\', '/');
            if (name.endsWith("/test-classes")) {
                classPath.add(entry); // modulepath.Main, in the unnamed module
            } else if (!name.matches(".*(/testkit/|/wif4j-testkit|junit|opentest4j|apiguardian|nimbus|jcip|surefire).*")) {
                modulePath.add(entry); // provider-aws's classes, core, Jackson, the AWS SDK and its few dependencies
            }
        }
        try (AwsStsEmulator sts = AwsStsEmulator.start()) {
            List<String> command = List.of(ProcessHandle.current().info().command().orElseThrow(),
                    "-Duser.home=" + home, "-Djava.net.preferIPv4Stack=true",
                    "--module-path", String.join(File.pathSeparator, modulePath),
                    "--add-modules", "dev.wif4j.provider.aws",
                    "-cp", String.join(File.pathSeparator, classPath),
                    "modulepath.Main");
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().clear();
            pb.environment().put("AWS_EC2_METADATA_DISABLED", "true");
            pb.environment().put("WIF4J_PROVIDER", "aws");
            pb.environment().put("ANTHROPIC_FEDERATION_RULE_ID", "fdrl_modulepath");
            pb.environment().put("ANTHROPIC_ORGANIZATION_ID", "123e4567-e89b-12d3-a456-426614174000");
            pb.environment().put("ANTHROPIC_CONFIG_DIR", home.resolve("anthropic").toString());
            pb.environment().putAll(sts.credentialsEnvironment());
            Process process = pb.start();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish");
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, process.exitValue(), output + "\nmodule path: " + modulePath);
            List<String> lines = Arrays.stream(output.split("\\R")).filter(l -> l.contains("=")).collect(Collectors.toList());
            assertTrue(lines.contains("provider-module=dev.wif4j.provider.aws"), output);
            assertTrue(lines.contains("chosen=aws"), output);
            assertTrue(lines.contains("subject=" + AwsStsEmulator.DEFAULT_ROLE_ARN), output);
            assertTrue(lines.contains("sts-module=software.amazon.awssdk.services.sts"), output);
            assertEquals(1, sts.tokenRequests().size());
        }
    }
}
