package dev.wif4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.testkit.child.PrintEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildProgramTest {

    @TempDir
    Path dir;

    private ChildProgram child() throws Exception {
        String classes = Path.of(PrintEnvironment.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        return ChildProgram.of(PrintEnvironment.class.getName(), List.of(classes)).in(dir);
    }

    @Test
    void runsInTheDirectoryWithOnlyTheVariablesGiven() throws Exception {
        ChildProgram.Run run = child().env(Map.of("A", "1")).env("B", "http://127.0.0.1:9/x").run("3");

        assertEquals(3, run.exit(), run.output());
        assertTrue(run.stdout().contains("home=" + dir + "\n"), run.output());
        assertTrue(run.stdout().contains("cwd=" + dir + "\n"), run.output());
        assertTrue(run.stdout().contains("env=[A, B]\n"), run.output());
        assertEquals("to stderr\n", run.stderr());
        assertTrue(run.output().startsWith("stdout:\nhome="), run.output());
    }

    @Test
    void refusesAVariablePointingOffLoopback() throws Exception {
        ChildProgram child = child();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> child.env("ANTHROPIC_BASE_URL", "https://api.anthropic.com"));
        assertEquals("ANTHROPIC_BASE_URL points off loopback: https://api.anthropic.com", e.getMessage());
    }

    @Test
    void stopsAChildThatDoesNotExitInTime() throws Exception {
        ChildProgram child = child().timeout(Duration.ofMillis(500));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> child.run("sleep"));
        assertTrue(e.getMessage().startsWith(PrintEnvironment.class.getName() + " did not exit within PT0.5S"), e.getMessage());
    }

    @Test
    void needsADirectory() {
        ChildProgram child = ChildProgram.of(PrintEnvironment.class.getName(), List.of());
        assertThrows(IllegalStateException.class, () -> child.run("0"));
    }
}
