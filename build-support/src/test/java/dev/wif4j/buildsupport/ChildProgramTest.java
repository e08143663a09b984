package dev.wif4j.buildsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.buildsupport.child.PrintEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildProgramTest {

    @TempDir
    Path dir;

    private static String location(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private ChildProgram child() throws Exception {
        return ChildProgram.of(PrintEnvironment.class.getName(), List.of(location(PrintEnvironment.class))).in(dir);
    }

    @Test
    void runsInTheDirectoryWithOnlyTheVariablesGiven() throws Exception {
        ChildProgram.Run run = child().env(Map.of("A", "1")).env("B", "http://127.0.0.1:9/x").run("3");

        assertEquals(3, run.exit(), run.output());
        assertTrue(run.stdout().contains("home=" + dir + "\n"), run.output());
        assertTrue(run.stdout().contains("cwd=" + dir + "\n"), run.output());
        assertTrue(run.stdout().contains("env=[A, B]\n"), run.output());
        assertTrue(run.stdout().contains("modules=[]\n"), "nothing on a module path: " + run.output());
        assertEquals("to stderr\n", run.stderr());
        assertTrue(run.output().startsWith("stdout:\nhome="), run.output());
    }

    @Test
    void modulePathResolvesTheRootsItNames() throws Exception {
        // wif4j-core and the Jackson it requires, as named modules; the program stays on the class path.
        List<String> modules = List.of(location(dev.wif4j.WorkloadIdentity.class),
                location(com.fasterxml.jackson.core.JsonFactory.class));
        ChildProgram.Run run = child().modulePath(modules, "dev.wif4j").run("0");

        assertEquals(0, run.exit(), run.output());
        assertTrue(run.stdout().contains("modules=[com.fasterxml.jackson.core, dev.wif4j]\n"), run.output());
        assertThrows(IllegalArgumentException.class, () -> child().modulePath(modules));
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
