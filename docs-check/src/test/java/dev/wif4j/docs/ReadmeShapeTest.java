package dev.wif4j.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README stays a front door: short, and one link away from every page of docs/ and CONTRIBUTING.md. */
class ReadmeShapeTest {
    static final int MAX_LINES = 300;
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)#\\s]+)(#[^)]*)?\\)");

    /** What is wrong with the README's shape: too long, or a page it does not link. */
    static List<String> problems(Path root) {
        try {
            Path readme = root.resolve("README.md");
            List<String> lines = Files.readAllLines(readme);
            List<String> problems = new ArrayList<>();
            if (lines.size() > MAX_LINES) {
                problems.add("README.md has " + lines.size() + " lines; at most " + MAX_LINES);
            }
            List<String> linked = new ArrayList<>();
            Matcher m = LINK.matcher(String.join("\n", lines));
            while (m.find()) {
                linked.add(root.resolve(m.group(1)).normalize().toString());
            }
            List<Path> pages = new ArrayList<>();
            if (Files.isDirectory(root.resolve("docs"))) {
                try (Stream<Path> files = Files.walk(root.resolve("docs"))) {
                    files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(pages::add);
                }
            }
            if (Files.exists(root.resolve("CONTRIBUTING.md"))) {
                pages.add(root.resolve("CONTRIBUTING.md"));
            }
            for (Path page : pages) {
                if (!linked.contains(page.normalize().toString())) {
                    problems.add("README.md does not link " + root.relativize(page).toString().replace('\\', '/'));
                }
            }
            return problems;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theReadmeIsShortAndLinksEveryPage() {
        assertEquals(List.of(), problems(Repository.root()));
    }

    @Test
    void aLongReadmeAndAnUnlinkedPageAreReported(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("docs/providers"));
        Files.writeString(dir.resolve("docs/providers/gcp.md"), "# GCP\n");
        Files.writeString(dir.resolve("docs/cli.md"), "# CLI\n");
        Files.writeString(dir.resolve("CONTRIBUTING.md"), "# Contributing\n");
        StringBuilder readme = new StringBuilder("# wif4j\n\n[GCP](docs/providers/gcp.md#setup), [build](CONTRIBUTING.md)\n");
        readme.append("line\n".repeat(MAX_LINES));
        Files.writeString(dir.resolve("README.md"), readme);
        assertEquals(List.of("README.md has " + (MAX_LINES + 3) + " lines; at most " + MAX_LINES,
                "README.md does not link docs/cli.md"), problems(dir));
    }
}
