package com.example.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A class path as Maven resolved it, read from the file that {@code maven-dependency-plugin}'s
 * {@code build-classpath} goal writes ({@code outputFile}): for a test that starts a program with exactly what it
 * ships with ({@link BuiltProgram}), or that checks what it holds, such as one Jackson release.
 *
 * <pre>{@code
 * // surefire passes runtime.classpath.file=${project.build.directory}/runtime-classpath.txt
 * assertEquals(Optional.empty(), RuntimeClassPath.ofBuild().mixedJackson("com.fasterxml.jackson"));
 * }</pre>
 */
public final class RuntimeClassPath {

    /** The system property naming the class path file of the build, for {@link #ofBuild()}. */
    public static final String FILE_PROPERTY = "runtime.classpath.file";

    private final List<String> entries;

    private RuntimeClassPath(List<String> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * Reads a class path file.
     *
     * @param file entries separated by the platform's path separator
     * @return the class path
     * @throws UncheckedIOException when the file cannot be read
     */
    public static RuntimeClassPath read(Path file) {
        try {
            String text = Files.readString(file).trim();
            return new RuntimeClassPath(text.isEmpty() ? List.of() : List.of(text.split(File.pathSeparator)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the class path file " + file, e);
        }
    }

    /**
     * Reads the class path file the system property {@value #FILE_PROPERTY} names, as a build passes it to its
     * tests.
     *
     * @return the class path
     * @throws IllegalStateException when the property is not set
     * @throws UncheckedIOException when the file cannot be read
     */
    public static RuntimeClassPath ofBuild() {
        String file = System.getProperty(FILE_PROPERTY);
        if (file == null || file.isBlank()) {
            throw new IllegalStateException("the system property " + FILE_PROPERTY + " is not set: pass the "
                    + "build-classpath goal's outputFile to the tests (surefire's systemPropertyVariables)");
        }
        return read(Path.of(file));
    }

    /** @return the entries, in order */
    public List<String> entries() {
        return entries;
    }

    /**
     * This class path with one entry before the others, e.g. the program's own classes.
     *
     * @param entry a directory or jar
     * @return a new class path
     */
    public RuntimeClassPath withFirst(String entry) {
        List<String> all = new ArrayList<>(entries.size() + 1);
        all.add(entry);
        all.addAll(entries);
        return new RuntimeClassPath(all);
    }

    /**
     * The versions of a Maven group's jars, from their paths in the local repository
     * ({@code <group path>/<artifact>/<version>/<artifact>-<version>.jar}).
     *
     * @param group a group id; its subgroups count too ({@code com.fasterxml.jackson} takes
     *     {@code com.fasterxml.jackson.core}, {@code com.fasterxml.jackson.datatype}, ...)
     * @return artifact id to version, sorted by artifact id
     */
    public Map<String, String> versions(String group) {
        Pattern jar = Pattern.compile("/" + Pattern.quote(group.replace('.', '/'))
                + "(?:/[^/]+)*/([^/]+)/([^/]+)/\\1-\\2\\.jar$");
        Map<String, String> versions = new TreeMap<>();
        for (String entry : entries) {
            Matcher matcher = jar.matcher(entry.replace('\\', '/'));
            if (matcher.find()) {
                versions.put(matcher.group(1), matcher.group(2));
            }
        }
        return versions;
    }

    /**
     * Whether the Jackson 2 jars of a group are of one release, the mix behind a {@code NoClassDefFoundError}
     * under {@code com/fasterxml/jackson} at start-up: each must have {@code jackson-databind}'s version, except
     * {@code jackson-annotations}, which since 2.20 may carry only its minor version ({@code 2.N}).
     *
     * @param group the group to look at, as for {@link #versions(String)}
     * @return empty when they are of one release; else what is wrong, naming every version (also when there is no
     *     {@code jackson-databind} at all)
     */
    public Optional<String> mixedJackson(String group) {
        Map<String, String> versions = versions(group);
        String databind = versions.get("jackson-databind");
        if (databind == null) {
            return Optional.of("no jackson-databind on the class path: " + versions);
        }
        int minorEnd = databind.indexOf('.', databind.indexOf('.') + 1);
        String minor = minorEnd < 0 ? databind : databind.substring(0, minorEnd);
        boolean mixed = versions.entrySet().stream().anyMatch(e -> !e.getValue().equals(databind)
                && !(e.getKey().equals("jackson-annotations") && e.getValue().equals(minor)));
        return mixed ? Optional.of("mixed Jackson versions on the runtime class path: " + versions) : Optional.empty();
    }
}
