package dev.wif4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The published testkit holds what users' and in-house authors' tests need, and none of wif4j's own build helpers:
 * those live in the unpublished build-support module (ChildProgram, StandInCommand), the consumer projects' own
 * fixture (RuntimeClassPath) and the command ({@code wif4j demo}).
 */
class NoBuildHelpersTest {
    private static final Set<String> BUILD_HELPERS = Set.of("ChildProgram", "RuntimeClassPath", "StandInCommand",
            "Demo");

    @Test
    void theTestkitJarHoldsNoBuildHelper() throws Exception {
        // What the jar packs: the module's compiled classes, found where this build put Emulator.
        Path classes = Path.of(Emulator.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(Files.isDirectory(classes.resolve("dev/wif4j/testkit")), classes.toString());
        List<String> found;
        try (Stream<Path> files = Files.walk(classes)) {
            found = files.map(f -> classes.relativize(f).toString().replace('\\', '/'))
                    .filter(name -> name.endsWith(".class"))
                    .filter(name -> BUILD_HELPERS.contains(simpleName(name)))
                    .sorted().toList();
        }
        assertEquals(List.of(), found, "wif4j's build helpers belong in build-support, not in the published testkit");
    }

    /** {@code dev/wif4j/testkit/ChildProgram$Run.class} to {@code ChildProgram}. */
    private static String simpleName(String classFile) {
        String name = classFile.substring(classFile.lastIndexOf('/') + 1, classFile.length() - ".class".length());
        int nested = name.indexOf('$');
        return nested < 0 ? name : name.substring(0, nested);
    }
}
