package com.example.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.testsupport.child.PrintHome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuiltProgramTest {

    @TempDir
    Path dir;

    private final String oldClasses = System.getProperty(BuiltProgram.CLASSES_PROPERTY);
    private final String oldFile = System.getProperty(RuntimeClassPath.FILE_PROPERTY);

    @AfterEach
    void restore() {
        restore(BuiltProgram.CLASSES_PROPERTY, oldClasses);
        restore(RuntimeClassPath.FILE_PROPERTY, oldFile);
    }

    private static void restore(String name, String value) {
        if (value == null) {
            System.clearProperty(name);
        } else {
            System.setProperty(name, value);
        }
    }

    /** The two properties as a Maven build passes them: the class path file names only a missing jar. */
    private BuiltProgram program() throws Exception {
        Path file = Files.writeString(dir.resolve("runtime-classpath.txt"), dir.resolve("missing.jar") + "\n");
        System.setProperty(BuiltProgram.CLASSES_PROPERTY,
                Path.of(PrintHome.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        System.setProperty(RuntimeClassPath.FILE_PROPERTY, file.toString());
        return BuiltProgram.of(PrintHome.class.getName()).in(dir);
    }

    @Test
    void startsTheBuiltClassesInTheDirectoryWithOnlyTheVariablesGiven() throws Exception {
        BuiltProgram.Run run = program().env(Map.of("A", "1")).env("B", "http://127.0.0.1:9/x").run("3");

        assertEquals(3, run.exit(), run.output());
        assertTrue(run.stdout().contains("home=" + dir + "\n"), run.output());
        assertTrue(run.stdout().contains("env=[A, B]\n"), run.output());
    }

    @Test
    void namesTheMissingProperty() {
        System.clearProperty(BuiltProgram.CLASSES_PROPERTY);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> BuiltProgram.of("Main"));
        assertTrue(e.getMessage().startsWith("the system property program.classes is not set"), e.getMessage());
    }

    @Test
    void refusesAVariablePointingOffLoopback() throws Exception {
        BuiltProgram program = program();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> program.env("ANTHROPIC_BASE_URL", "https://api.anthropic.com"));
        assertEquals("ANTHROPIC_BASE_URL points off loopback: https://api.anthropic.com", e.getMessage());
    }
}
