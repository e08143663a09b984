package dev.wif4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Core's classes stay small enough to read at once: no main source file over 400 lines. */
class CoreShapeTest {
    private static final int MAX_LINES = 400;

    @Test
    void noMainSourceFileIsOverFourHundredLines() throws IOException {
        // Surefire runs in the module's directory.
        Path main = Path.of("src", "main", "java");
        List<String> tooLong;
        try (Stream<Path> files = Files.walk(main)) {
            tooLong = files.filter(f -> f.toString().endsWith(".java")).sorted()
                    .filter(f -> lines(f) > MAX_LINES)
                    .map(f -> main.relativize(f) + " has " + lines(f) + " lines").toList();
        }
        assertEquals(List.of(), tooLong, "split these along their jobs");
    }

    private static long lines(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
