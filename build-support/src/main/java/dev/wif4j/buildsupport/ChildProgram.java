package dev.wif4j.buildsupport;

import dev.wif4j.spi.support.Endpoints;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Starts a program's main class in a JVM of its own, as a workload starts it: the java that runs the test, only
 * the class path given and an environment that holds only the variables the test sets, nothing from the machine
 * the test runs on. The child runs in the test's directory, which is also its {@code user.home}, prefers IPv4, and
 * may be pointed at loopback only: a variable whose value is an {@code http(s)} URL to another host is refused.
 *
 * <pre>{@code
 * ChildProgram.Run run = ChildProgram.of(AskClaude.class.getName(), classPath)
 *         .in(tempDir)
 *         .env(anthropic.environment())
 *         .env("ANTHROPIC_IDENTITY_TOKEN_FILE", tokenFile.toString())
 *         .run("Hello");
 * assertEquals(0, run.exit(), run.output());
 * }</pre>
 *
 * <p>One of wif4j's own build helpers (the {@code build-support} module, never published): the consumer projects
 * and the examples use only published API, and start their programs with the JDK alone.
 *
 * <p>Not thread-safe: configure and run it from one thread.
 */
public final class ChildProgram {

    /**
     * What the child did.
     *
     * @param exit its exit status
     * @param stdout what it wrote to stdout
     * @param stderr what it wrote to stderr
     */
    public record Run(int exit, String stdout, String stderr) {
        /** @return both outputs, labelled, for an assertion's message */
        public String output() {
            return "stdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    private final String mainClass;
    private final List<String> classPath;
    private List<String> modulePath = List.of();
    private List<String> rootModules = List.of();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private Path directory;
    private Duration timeout = Duration.ofSeconds(60);

    private ChildProgram(String mainClass, List<String> classPath) {
        this.mainClass = Objects.requireNonNull(mainClass, "mainClass");
        this.classPath = List.copyOf(classPath);
    }

    /**
     * A program to start.
     *
     * @param mainClass the binary name of its main class
     * @param classPath the child's class path, in order
     * @return the program, with an empty environment
     */
    public static ChildProgram of(String mainClass, List<String> classPath) {
        return new ChildProgram(mainClass, classPath);
    }

    /**
     * Puts libraries on the child's module path, as {@code --module-path} with {@code --add-modules}: the given
     * roots are resolved, with whatever service binding adds; the class path holds the rest, the main class
     * among it, in the unnamed module.
     *
     * @param entries the module path, in order (modular and automatic jars, or class directories)
     * @param roots the modules to resolve; at least one
     * @return this program
     * @throws IllegalArgumentException when no root module is given
     */
    public ChildProgram modulePath(List<String> entries, String... roots) {
        if (roots.length == 0) {
            throw new IllegalArgumentException("a module path needs at least one root module (--add-modules)");
        }
        this.modulePath = List.copyOf(entries);
        this.rootModules = List.of(roots);
        return this;
    }

    /**
     * Sets the directory the child runs in and takes as {@code user.home}; required. Its outputs are kept there.
     *
     * @param directory an existing directory, a test's temporary one
     * @return this program
     */
    public ChildProgram in(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory");
        return this;
    }

    /**
     * Sets an environment variable of the child.
     *
     * @param name the variable
     * @param value its value; an {@code http(s)} URL must name a loopback host
     * @return this program
     * @throws IllegalArgumentException when the value is a URL to a host other than loopback
     */
    public ChildProgram env(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, name);
        if (value.startsWith("http://") || value.startsWith("https://")) {
            String host = URI.create(value).getHost();
            if (host == null || !Endpoints.isLoopback(host)) {
                throw new IllegalArgumentException(name + " points off loopback: " + value);
            }
        }
        environment.put(name, value);
        return this;
    }

    /**
     * Sets environment variables of the child, as {@link #env(String, String)} each.
     *
     * @param variables the variables, e.g. an {@code Emulator.environment()}
     * @return this program
     */
    public ChildProgram env(Map<String, String> variables) {
        variables.forEach(this::env);
        return this;
    }

    /**
     * Sets how long {@link #run} waits for the child before it stops it; 60 s unless set.
     *
     * @param timeout the wait
     * @return this program
     */
    public ChildProgram timeout(Duration timeout) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        return this;
    }

    /**
     * Starts the child and waits for it to exit.
     *
     * @param args the program's arguments
     * @return its exit status and outputs
     * @throws IOException when the child cannot be started or its output read
     * @throws InterruptedException when interrupted while waiting
     * @throws IllegalStateException when no directory was set, or the child did not exit in time (it is then
     *     stopped; the message holds its output so far)
     */
    public Run run(String... args) throws IOException, InterruptedException {
        if (directory == null) {
            throw new IllegalStateException("no directory: call in(directory) first");
        }
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElseThrow(() -> new IllegalStateException(
                        "cannot tell which java runs this JVM")),
                "-Duser.home=" + directory, "-Djava.net.preferIPv4Stack=true"));
        if (!modulePath.isEmpty()) {
            command.addAll(List.of("--module-path", String.join(File.pathSeparator, modulePath),
                    "--add-modules", String.join(",", rootModules)));
        }
        command.addAll(List.of("-cp", String.join(File.pathSeparator, classPath), mainClass));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
        builder.environment().clear();   // only what the test sets: nothing from this machine
        builder.environment().putAll(environment);
        // Files, not pipes: a child that writes much to one stream cannot block on the other.
        Path stdout = Files.createTempFile(directory, "child", ".stdout");
        Path stderr = Files.createTempFile(directory, "child", ".stderr");
        builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        Process process = builder.start();
        boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!exited) {
            process.destroyForcibly().waitFor();
        }
        Run run = new Run(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8));
        if (!exited) {
            throw new IllegalStateException(mainClass + " did not exit within " + timeout + "\n" + run.output());
        }
        return run;
    }
}
