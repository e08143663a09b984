package dev.wif4j.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Finds the repository's modules from the integration-tests folder, where surefire runs. */
final class ProjectLayout {
    private ProjectLayout() {}

    static Path root() {
        Path here = Path.of("").toAbsolutePath();
        Path root = Files.exists(here.resolve("integration-tests")) ? here : here.getParent();
        if (!Files.exists(root.resolve("mvnw"))) {
            throw new IllegalStateException("cannot find the repository root from " + here);
        }
        return root;
    }

    /** Every module folder with main Java sources. */
    static List<Path> modulesWithSources() {
        try (Stream<Path> dirs = Files.list(root())) {
            return dirs.filter(d -> Files.isDirectory(d.resolve("src/main/java"))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every published module: those with sources whose POM does not skip the deploy step. */
    static List<Path> publishedModules() {
        return modulesWithSources().stream()
                .filter(d -> !read(d.resolve("pom.xml")).contains("<maven.deploy.skip>true</maven.deploy.skip>"))
                .toList();
    }

    /** The published modules that are named JPMS modules: those with a module descriptor. */
    static List<Path> namedModules() {
        return publishedModules().stream().filter(d -> Files.exists(d.resolve("src/main/java/module-info.java")))
                .toList();
    }

    static List<Path> javaFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
