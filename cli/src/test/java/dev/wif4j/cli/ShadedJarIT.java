package dev.wif4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.testkit.GitHubActionsEmulator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built {@code cli/target/wif4j.jar} and its published POM, after the shade step: the command carries no
 * test code, and {@code wif4j demo} still runs from the jar. Runs in the {@code integration-test} phase.
 */
class ShadedJarIT {

    private static final Path JAR = Path.of(System.getProperty("wif4j.jar", "target/wif4j.jar"));
    private static final Path POM = Path.of(System.getProperty("wif4j.pom", "target/dependency-reduced-pom.xml"));

    /** Test frameworks and the certificate library of the https emulators. */
    private static final List<String> FORBIDDEN_PREFIXES = List.of("org/junit/", "org/opentest4j/",
            "org/apiguardian/", "org/bouncycastle/", "junit/");

    /** What the demo does not run: the cloud emulators, the proxy and the contract test. */
    private static final List<String> FORBIDDEN_TESTKIT = List.of("GcpMetadataEmulator", "AzureManagedIdentityEmulator",
            "EntraEmulator", "AwsStsEmulator", "GitHubActionsEmulator", "AuthentikEmulator", "FaultyProxy",
            "IdentityProviderContract", "ManualClock", "internal/SelfSignedTls", "internal/SigV4",
            "internal/EntraTokens");

    private static final Pattern LAST_DEMO_LINE = Pattern.compile("6\\. The emulator's authentication history: rule "
            + "fdrl_[A-Za-z0-9]+, subject system:serviceaccount:demo:claude-client, accepted\\.");

    @Test
    @DisplayName("wif4j.jar holds no JUnit, opentest4j or BouncyCastle, and no emulator the demo does not run")
    void theJarCarriesNoTestCode() throws IOException {
        List<String> entries = entries();
        assertTrue(entries.contains("dev/wif4j/cli/Main.class"), "the jar is not the command: " + JAR);
        assertTrue(entries.contains("dev/wif4j/testkit/AnthropicEmulator.class"), "the demo's emulator is missing");
        List<String> found = new ArrayList<>();
        for (String entry : entries) {
            if (FORBIDDEN_PREFIXES.stream().anyMatch(entry::startsWith)
                    || FORBIDDEN_TESTKIT.stream().anyMatch(name -> entry.startsWith("dev/wif4j/testkit/" + name))) {
                found.add(entry);
            }
        }
        assertEquals(List.of(), found);
    }

    @Test
    @DisplayName("the published wif4j-cli POM lists no compile or runtime dependency: everything is in the jar")
    void thePublishedPomCarriesNoDependency() throws IOException {
        String pom = Files.readString(POM);
        assertTrue(pom.contains("<artifactId>wif4j-cli</artifactId>"), "not the command's POM: " + POM);
        List<String> shipped = new ArrayList<>();
        Matcher dependency = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL).matcher(pom);
        while (dependency.find()) {
            String body = dependency.group(1);
            if (!body.contains("<scope>test</scope>") && !body.contains("<optional>true</optional>")) {
                shipped.add(body.replaceAll("\\s+", " ").strip());
            }
        }
        assertEquals(List.of(), shipped);
    }

    @Test
    @DisplayName("java -jar wif4j.jar demo runs the whole flow and exits 0")
    void theDemoRunsFromTheJar(@TempDir Path dir) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path output = dir.resolve("demo.txt");
        Process process = new ProcessBuilder(java.toString(), "-jar", JAR.toString(), "demo")
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        boolean finished = process.waitFor(60, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        String text = Files.readString(output, StandardCharsets.UTF_8);
        assertTrue(finished, "the demo did not finish within 60 s: " + text);
        assertEquals(0, process.exitValue(), text);
        List<String> lines = text.strip().lines().toList();
        assertTrue(lines.get(0).startsWith("1. An identity provider at http://127.0.0.1:"), text);
        assertTrue(LAST_DEMO_LINE.matcher(lines.get(lines.size() - 1)).matches(), text);
    }

    @Test
    @DisplayName("java -jar wif4j.jar token-file stops within a second of SIGTERM and leaves the last token in place")
    void tokenFileStopsPromptlyOnSigterm(@TempDir Path dir) throws Exception {
        try (GitHubActionsEmulator actions = GitHubActionsEmulator.builder().repository("acme/app").start()) {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Path token = dir.resolve("token");
            Path log = dir.resolve("log.txt");
            ProcessBuilder builder = new ProcessBuilder(java.toString(), "-jar", JAR.toString(), "token-file", "--out",
                    token.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().clear(); // a job's variables and nothing of this machine's
            builder.environment().putAll(actions.jobEnvironment());
            builder.environment().put("AWS_EC2_METADATA_DISABLED", "true");
            Process process = builder.start();
            try {
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!Files.exists(token) && process.isAlive() && System.nanoTime() < until) {
                    Thread.sleep(50);
                }
                assertTrue(Files.exists(token), "no token file: " + Files.readString(log));
                long signalled = System.nanoTime();
                process.destroy(); // SIGTERM
                assertTrue(process.waitFor(10, TimeUnit.SECONDS), "still running 10 s after SIGTERM");
                long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
                String text = Files.readString(log, StandardCharsets.UTF_8);
                // 143 = 128 + SIGTERM. The old stop hook joined the worker for 5 s while it sat in System.exit.
                assertEquals(143, process.exitValue(), text);
                assertTrue(tookMillis < 2500, "took " + tookMillis + " ms to stop: " + text);
                assertTrue(text.contains("stopped; " + token + " keeps the last token."), text);
                assertTrue(Files.readString(token).startsWith("eyJ"), "the last token was not left in place");
            } finally {
                process.destroyForcibly();
            }
        }
    }

    @Test
    @DisplayName("the wif4j launcher with WIF4J_CDS=1 writes a class-data archive on its first run and maps it after, "
            + "printing what it prints without")
    void theLauncherUsesAnApplicationClassDataArchiveWhenAsked(@TempDir Path dir) throws Exception {
        Path launcher = JAR.toAbsolutePath().getParent().getParent().resolve("wif4j");
        Path archive = dir.resolve("wif4j.jsa");
        String plain = launch(launcher, dir, null, null);
        String first = launch(launcher, dir, archive, null);
        assertTrue(Files.isRegularFile(archive), "no archive after the first run: " + first);
        Path classes = dir.resolve("class-load.log");
        String second = launch(launcher, dir, archive, "-Xlog:class+load=info:file=" + classes);
        assertEquals(plain, first, "the archive's first run prints what a plain run prints");
        assertEquals(plain, second, "a run on the archive prints what a plain run prints");
        // "shared objects file (top)": the class came from the application archive, layered on the JDK's.
        assertTrue(Files.readAllLines(classes).stream().anyMatch(l -> l.contains(" dev.wif4j.cli.Main ")
                && l.contains("shared objects file (top)")), "dev.wif4j.cli.Main was not mapped from " + archive);
        try (var left = Files.list(dir)) {
            assertEquals(List.of(), left.filter(f -> f.getFileName().toString().startsWith("wif4j.jsa.")).toList(),
                    "a partial archive was left behind");
        }
    }

    /** Runs {@code cli/wif4j detect} off the cloud, with or without WIF4J_CDS, and returns what it printed. */
    private static String launch(Path launcher, Path dir, Path archive, String javaOptions) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("sh", launcher.toString(), "detect").redirectErrorStream(true);
        java.util.Map<String, String> env = builder.environment();
        String path = env.get("PATH");
        env.clear();
        env.put("PATH", path);
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("ANTHROPIC_CONFIG_DIR", dir.toString());
        if (archive != null) {
            env.put("WIF4J_CDS", "1");
            env.put("WIF4J_CDS_ARCHIVE", archive.toString());
        }
        if (javaOptions != null) {
            env.put("WIF4J_JAVA_OPTS", javaOptions);
        }
        Process process = builder.start();
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "wif4j detect did not finish: " + text);
        assertEquals(1, process.exitValue(), "off the cloud nothing is chosen: " + text);
        return text;
    }

    private static List<String> entries() throws IOException {
        assertTrue(Files.isRegularFile(JAR), "no jar at " + JAR + ": run after the package phase");
        try (JarFile jar = new JarFile(JAR.toFile())) {
            return Collections.list(jar.entries()).stream().map(JarEntry::getName).toList();
        }
    }
}
