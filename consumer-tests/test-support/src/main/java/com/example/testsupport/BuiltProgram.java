package com.example.testsupport;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The program this project built, started in a JVM of its own as a workload starts it: the java that runs the
 * test, the project's {@code target/classes} (the system property {@value #CLASSES_PROPERTY}) before its runtime
 * class path ({@link RuntimeClassPath#ofBuild()}), and an environment that holds only the variables the test sets.
 * The child runs in the test's directory, which is also its {@code user.home}; a variable whose value is an
 * {@code http(s)} URL must point at loopback.
 *
 * <pre>{@code
 * BuiltProgram.Run run = BuiltProgram.of(AskClaude.class.getName()).in(tempDir).env(anthropic.environment())
 *         .run("Hello");
 * assertEquals(0, run.exit(), run.output());
 * }</pre>
 */
public final class BuiltProgram {

    /** The system property naming the directory of the program's compiled classes. */
    public static final String CLASSES_PROPERTY = "program.classes";

    private static final Pattern LOOPBACK = Pattern.compile("localhost|127(\\.\\d{1,3}){3}|\\[::1\\]");
    private static final long TIMEOUT_SECONDS = 60;

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
    private final List<String> command = new ArrayList<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private Path directory;

    private BuiltProgram(String mainClass, List<String> classPath) {
        this.mainClass = Objects.requireNonNull(mainClass);
        command.add(ProcessHandle.current().info().command()
                .orElseThrow(() -> new IllegalStateException("cannot tell which java runs this JVM")));
        command.addAll(List.of("-Djava.net.preferIPv4Stack=true", "-cp",
                String.join(java.io.File.pathSeparator, classPath), mainClass));
    }

    /**
     * The program this build compiled, on the class path it ships with.
     *
     * @param mainClass the binary name of its main class
     * @return the program, with an empty environment
     * @throws IllegalStateException when {@value #CLASSES_PROPERTY} or {@value RuntimeClassPath#FILE_PROPERTY} is
     *     not set
     */
    public static BuiltProgram of(String mainClass) {
        String classes = System.getProperty(CLASSES_PROPERTY);
        if (classes == null || classes.isBlank()) {
            throw new IllegalStateException("the system property " + CLASSES_PROPERTY + " is not set: pass "
                    + "${project.build.outputDirectory} to the tests (surefire's systemPropertyVariables)");
        }
        return new BuiltProgram(mainClass, RuntimeClassPath.ofBuild().withFirst(classes).entries());
    }

    /**
     * Sets the directory the child runs in and takes as {@code user.home}; required.
     *
     * @param directory an existing directory, a test's temporary one
     * @return this program
     */
    public BuiltProgram in(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory");
        return this;
    }

    /**
     * Sets an environment variable of the child.
     *
     * @param name the variable
     * @param value its value; an {@code http(s)} URL must name a loopback host
     * @return this program
     * @throws IllegalArgumentException when the value is a URL to another host
     */
    public BuiltProgram env(String name, String value) {
        if (value.startsWith("http://") || value.startsWith("https://")) {
            String host = URI.create(value).getHost();
            if (host == null || !LOOPBACK.matcher(host).matches()) {
                throw new IllegalArgumentException(name + " points off loopback: " + value);
            }
        }
        environment.put(Objects.requireNonNull(name), value);
        return this;
    }

    /**
     * Sets environment variables of the child, as {@link #env(String, String)} each.
     *
     * @param variables the variables
     * @return this program
     */
    public BuiltProgram env(Map<String, String> variables) {
        variables.forEach(this::env);
        return this;
    }

    /**
     * Starts the child and waits for it, 60 s at the most.
     *
     * @param args the program's arguments
     * @return its exit status and outputs
     * @throws IOException when it cannot be started or its output read
     * @throws InterruptedException when interrupted while waiting
     * @throws IllegalStateException when no directory was set, or the child did not exit in time (it is then
     *     stopped; the message holds its output so far)
     */
    public Run run(String... args) throws IOException, InterruptedException {
        if (directory == null) {
            throw new IllegalStateException("no directory: call in(directory) first");
        }
        List<String> full = new ArrayList<>(command);
        full.add(1, "-Duser.home=" + directory);
        full.addAll(List.of(args));
        // Outputs to files: a child that fills one pipe cannot block on it while nobody reads.
        Path out = Files.createTempFile(directory, "program", ".stdout");
        Path err = Files.createTempFile(directory, "program", ".stderr");
        ProcessBuilder builder = new ProcessBuilder(full).directory(directory.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException(mainClass + " did not exit within " + TIMEOUT_SECONDS + " s\n"
                    + new Run(-1, Files.readString(out), Files.readString(err)).output());
        }
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
