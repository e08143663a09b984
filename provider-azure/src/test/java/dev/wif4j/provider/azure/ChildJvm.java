package dev.wif4j.provider.azure;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.spi.support.Endpoints;
import java.io.File;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code azurechild.Main} in a JVM of its own whose REAL environment is exactly the variables given (plus
 * {@code AWS_EC2_METADATA_DISABLED=true}), every URL in it on loopback: Azure Identity and MSAL read the
 * managed-identity variables from the process environment, as in production. On the class path, or with wif4j,
 * the provider and Azure Identity on the module path (the child's main class stays in the unnamed module).
 */
final class ChildJvm {

    /** How the child finds the provider. */
    enum Where {
        CLASS_PATH, MODULE_PATH
    }

    /** What the child printed. */
    record Result(int exitCode, String output) {
        /** @return the value of the first {@code key=value} line with this key */
        Optional<String> value(String key) {
            return output.lines().filter(l -> l.startsWith(key + "=")).map(l -> l.substring(key.length() + 1))
                    .findFirst();
        }

        @Override
        public String toString() {
            return "child JVM (exit " + exitCode + "):\n" + output;
        }
    }

    private final Map<String, String> environment = new LinkedHashMap<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private final Path home;
    private Where path = Where.CLASS_PATH;

    ChildJvm(Path home) {
        this.home = home;
        environment.put("AWS_EC2_METADATA_DISABLED", "true");
        environment.put("HOME", home.toString());
        environment.put("ANTHROPIC_CONFIG_DIR", home.resolve("anthropic").toString());
    }

    ChildJvm env(Map<String, String> variables) {
        environment.putAll(variables);
        return this;
    }

    ChildJvm env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    ChildJvm jvmOption(String option) {
        jvmOptions.add(option);
        return this;
    }

    ChildJvm on(Where where) {
        this.path = where;
        return this;
    }

    Result run(String... args) throws Exception {
        for (Map.Entry<String, String> e : environment.entrySet()) {
            if (e.getValue().startsWith("http://") || e.getValue().startsWith("https://")) {
                String host = URI.create(e.getValue()).getHost();
                assertTrue(Endpoints.isLoopback(host), e.getKey() + " points off loopback: " + e.getValue());
            }
        }
        List<String> modulePath = new ArrayList<>();
        List<String> classPath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = entry.replace('\\', '/');
            if (path == Where.CLASS_PATH || name.endsWith("/test-classes")) {
                classPath.add(entry);
            } else if (!name.matches(".*(/testkit/|/wif4j-testkit|junit|opentest4j|apiguardian|nimbus|jcip|surefire|bcprov|bcpkix"
                    + "|bcutil).*")) {
                modulePath.add(entry); // provider-azure's classes, core, Azure Identity, MSAL and their dependencies
            }
        }
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.add("-Duser.home=" + home);
        command.add("-Djava.net.preferIPv4Stack=true");
        command.add("-XX:TieredStopAtLevel=1");
        command.addAll(jvmOptions);
        if (path == Where.MODULE_PATH) {
            command.add("--module-path");
            command.add(String.join(File.pathSeparator, modulePath));
            command.add("--add-modules");
            command.add("dev.wif4j.provider.azure");
        }
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classPath));
        command.add("azurechild.Main");
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(environment);
        Path log = Files.createTempFile(home, "child", ".log");
        pb.redirectOutput(log.toFile());
        Process process = pb.start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the child JVM did not finish:\n" + Files.readString(log));
        }
        return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
