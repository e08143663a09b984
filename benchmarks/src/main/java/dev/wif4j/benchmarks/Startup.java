package dev.wif4j.benchmarks;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs {@link StartupProbe} in a child JVM against the emulators on 127.0.0.1, with a class path of
 * wif4j-core and Jackson alone or with every provider. The jars come from {@code target/lib}, where the
 * build copies them.
 */
final class Startup implements AutoCloseable {
    /** The class paths measured. */
    enum ClassPath {
        /** wif4j-core, Jackson and the probe: the least an application needs. */
        CORE,
        /** Every provider and its cloud libraries as well. */
        ALL_PROVIDERS
    }

    private static final String TOKEN_FILE = "identity-token.jwt";

    final Loopback loopback = new Loopback(Clock.systemUTC(), Duration.ofHours(1));
    private final Path target;
    private final Path work;
    private final String java;

    Startup() {
        target = targetDirectory();
        try {
            work = Files.createTempDirectory("wif4j-startup-");
            Files.createDirectories(work.resolve("config"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        java = ProcessHandle.current().info().command().orElseThrow(
                () -> new IllegalStateException("cannot tell which java runs this JVM"));
    }

    /** {@code benchmarks/target}, from where this class was loaded: the jar or the classes folder. */
    static Path targetDirectory() {
        try {
            Path location = Path.of(Startup.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path target = location.getParent();
            if (!Files.isDirectory(target.resolve("lib"))) {
                throw new IllegalStateException(target.resolve("lib") + " is missing: build with "
                        + "./mvnw -pl benchmarks -am package -DskipTests");
            }
            return target;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The module's own jar, holding the probe: a jar, because class-data archives refuse folders. */
    private Path probeJar() {
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(f -> f.getFileName().toString().matches("wif4j-benchmarks-.*\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no wif4j-benchmarks jar in " + target));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the jars of a class path */
    List<Path> jars(ClassPath classPath) {
        try (Stream<Path> files = Files.list(target.resolve("lib"))) {
            return files.filter(f -> f.toString().endsWith(".jar"))
                    .filter(f -> classPath == ClassPath.ALL_PROVIDERS || isCore(f.getFileName().toString()))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** wif4j-core and what it needs: Jackson. */
    static boolean isCore(String jar) {
        return jar.startsWith("wif4j-core-") || jar.startsWith("jackson-databind-") || jar.startsWith("jackson-core-")
                || jar.startsWith("jackson-annotations-");
    }

    /** Writes a new identity token for the next child: the emulator accepts each one once. */
    void prepareIdentityToken() {
        try {
            Files.writeString(work.resolve(TOKEN_FILE), loopback.mint() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs the probe in a child JVM until it exits.
     *
     * @param classPath the class path
     * @param jvmOptions extra JVM options
     * @return the child's wall-clock time from spawn to exit, in nanoseconds
     */
    long run(ClassPath classPath, List<String> jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmOptions);
        command.add("-cp");
        List<String> entries = new ArrayList<>();
        entries.add(probeJar().toString());
        jars(classPath).forEach(j -> entries.add(j.toString()));
        command.add(String.join(File.pathSeparator, entries));
        command.add(StartupProbe.class.getName());
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.clear(); // the child sees only the emulators, never this machine's own settings
        env.put("ANTHROPIC_FEDERATION_RULE_ID", loopback.ruleId);
        env.put("ANTHROPIC_ORGANIZATION_ID", loopback.anthropic.organizationId());
        env.put("ANTHROPIC_BASE_URL", loopback.anthropic.baseUrl());
        env.put("ANTHROPIC_IDENTITY_TOKEN_FILE", work.resolve(TOKEN_FILE).toString());
        env.put("ANTHROPIC_CONFIG_DIR", work.resolve("config").toString());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        Path log = work.resolve("child.log");
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        try {
            long start = System.nanoTime();
            Process child = builder.start();
            if (!child.waitFor(60, TimeUnit.SECONDS)) {
                child.destroyForcibly();
                throw new IllegalStateException("the child JVM did not finish within 60 s");
            }
            long elapsed = System.nanoTime() - start;
            if (child.exitValue() != 0) {
                throw new IllegalStateException("the child JVM exited with " + child.exitValue() + ":\n"
                        + Files.readString(log));
            }
            return elapsed;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** @return a file in this run's working directory */
    Path workFile(String name) {
        return work.resolve(name);
    }

    @Override
    public void close() {
        loopback.close();
        try (Stream<Path> files = Files.walk(work)) {
            for (Path p : files.sorted((a, b) -> b.compareTo(a)).collect(Collectors.toList())) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
