package dev.wif4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Build rules a compiler cannot check. Providers see the world only through a
 * DetectionContext, so nothing but the one real context may read the process environment.
 */
class SourceRulesTest {
    private static final Pattern ENVIRONMENT = Pattern.compile("System\\s*\\.\\s*(getenv|getProperty|getProperties)\\b");
    private static final Pattern CONSOLE = Pattern.compile("System\\s*\\.\\s*(out|err)\\b");
    /** Reaching into another library's private members, which breaks with its next release. */
    private static final Pattern REFLECTION = Pattern.compile("\\b(setAccessible|getDeclaredField|getDeclaredMethod)\\s*\\(");
    /** The one real context. */
    private static final Set<String> MAY_READ_ENVIRONMENT = Set.of(
            "core/src/main/java/dev/wif4j/internal/env/SystemDetectionContext.java");
    /**
     * Sets the JDK HTTP server's TCP_NODELAY switch for the emulators before the server first starts: a write of a
     * JDK setting, not a read of the environment, and the JDK server has no other way to take it.
     */
    private static final Set<String> SETS_A_JDK_SERVER_SWITCH = Set.of(
            "testkit/src/main/java/dev/wif4j/testkit/internal/LoopbackServer.java");
    /** Command-line entry points, which own their console. */
    private static final Set<String> MAY_PRINT = Set.of(
            "benchmarks/src/main/java/dev/wif4j/benchmarks/BuildProbe.java",
            "benchmarks/src/main/java/dev/wif4j/benchmarks/StartupReport.java",
            "benchmarks/src/main/java/dev/wif4j/benchmarks/ColdStartReport.java",
            "benchmarks/src/main/java/dev/wif4j/benchmarks/DetectProbe.java",
            "benchmarks/src/main/java/dev/wif4j/benchmarks/ExitAccount.java",
            "benchmarks/src/main/java/dev/wif4j/benchmarks/ServiceScanProbe.java");

    @Test
    void onlyTheRealDetectionContextReadsEnvironmentVariablesAndSystemProperties() {
        Set<String> allowed = new HashSet<>(MAY_READ_ENVIRONMENT);
        allowed.addAll(SETS_A_JDK_SERVER_SWITCH);
        assertEquals(List.of(), offenders(ENVIRONMENT, allowed),
                "read them through DetectionContext.env()/systemProperty() instead");
    }

    @Test
    void testsNeverReadTheRealEnvironmentOrHome() {
        Pattern real = Pattern.compile("System\\s*\\.\\s*getenv\\b|getProperty\\(\\s*\"user\\.home\"");
        List<String> found = new ArrayList<>();
        // The child program that build-support's ChildProgramTest starts reports the environment the test gave it.
        Set<String> childPrograms = Set.of(
                "build-support/src/test/java/dev/wif4j/buildsupport/child/PrintEnvironment.java");
        for (Path module : ProjectLayout.modulesWithSources()) {
            found.addAll(offendersIn(module.resolve("src/test/java"), real, childPrograms));
        }
        found.addAll(offendersIn(ProjectLayout.root().resolve("integration-tests/src/test/java"), real,
                Set.of("integration-tests/src/test/java/dev/wif4j/it/SourceRulesTest.java")));
        assertEquals(List.of(), found, "hand the test a FakeDetectionContext instead");
    }

    @Test
    void libraryCodeNeverWritesToTheConsole() {
        assertEquals(List.of(), offenders(CONSOLE, MAY_PRINT), "log through System.Logger instead");
    }

    @Test
    void noLibraryCodeReachesIntoPrivateMembersByReflection() {
        assertTrue(REFLECTION.matcher("field.setAccessible(true)").find(), "the pattern must find what it forbids");
        List<String> found = offenders(REFLECTION, Set.of()).stream()
                .filter(where -> !where.startsWith("testkit/"))
                .toList();
        assertEquals(List.of(), found, "use the library's public API (or say in the README why it cannot be done)");
    }

    @Test
    void theRulesSeeTheSources() {
        assertFalse(ProjectLayout.modulesWithSources().isEmpty());
        assertFalse(offendersIn(ProjectLayout.root().resolve(
                "core/src/main/java/dev/wif4j/internal/env"), ENVIRONMENT, Set.of()).isEmpty(),
                "the real context must be found by the pattern, or the rule checks nothing");
    }

    private static List<String> offenders(Pattern pattern, Set<String> allowed) {
        List<String> found = new ArrayList<>();
        for (Path module : ProjectLayout.modulesWithSources()) {
            found.addAll(offendersIn(module.resolve("src/main/java"), pattern, allowed));
        }
        return found;
    }

    private static List<String> offendersIn(Path dir, Pattern pattern, Set<String> allowed) {
        Path root = ProjectLayout.root();
        List<String> found = new ArrayList<>();
        for (Path file : ProjectLayout.javaFiles(dir)) {
            String relative = root.relativize(file).toString().replace('\\', '/');
            if (allowed.contains(relative)) {
                continue;
            }
            String[] lines = ProjectLayout.read(file).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                String code = lines[i].strip();
                if (code.startsWith("*") || code.startsWith("//") || code.startsWith("/*")) {
                    continue; // Javadoc and comments may name what they forbid
                }
                if (pattern.matcher(code).find()) {
                    found.add(relative + ":" + (i + 1));
                }
            }
        }
        return found;
    }
}
