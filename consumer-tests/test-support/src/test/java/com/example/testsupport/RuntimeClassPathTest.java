package com.example.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeClassPathTest {
    private static final String REPO = "/home/u/.m2/repository/";

    @TempDir
    Path dir;

    private RuntimeClassPath classPath(String... jars) throws Exception {
        Path file = dir.resolve("runtime-classpath.txt");
        Files.writeString(file, String.join(File.pathSeparator, jars) + "\n");
        return RuntimeClassPath.read(file);
    }

    private static String jar(String group, String artifact, String version) {
        return REPO + group.replace('.', '/') + "/" + artifact + "/" + version + "/" + artifact + "-" + version + ".jar";
    }

    @Test
    void readsTheEntriesInOrderAndPutsOneFirst() throws Exception {
        RuntimeClassPath path = classPath("/a.jar", "/b.jar");
        assertEquals(List.of("/a.jar", "/b.jar"), path.entries());
        assertEquals(List.of("/classes", "/a.jar", "/b.jar"), path.withFirst("/classes").entries());
    }

    @Test
    void ofBuildReadsTheFileTheSystemPropertyNames() throws Exception {
        Path file = Files.writeString(dir.resolve("runtime-classpath.txt"), "/a.jar" + File.pathSeparator + "/b.jar\n");
        String old = System.getProperty(RuntimeClassPath.FILE_PROPERTY);
        try {
            System.setProperty(RuntimeClassPath.FILE_PROPERTY, file.toString());
            assertEquals(List.of("/a.jar", "/b.jar"), RuntimeClassPath.ofBuild().entries());
            System.clearProperty(RuntimeClassPath.FILE_PROPERTY);
            IllegalStateException e = assertThrows(IllegalStateException.class, RuntimeClassPath::ofBuild);
            assertTrue(e.getMessage().startsWith("the system property runtime.classpath.file is not set"), e.getMessage());
        } finally {
            if (old == null) {
                System.clearProperty(RuntimeClassPath.FILE_PROPERTY);
            } else {
                System.setProperty(RuntimeClassPath.FILE_PROPERTY, old);
            }
        }
    }

    @Test
    void versionsOfAGroupAndItsSubgroups() throws Exception {
        RuntimeClassPath path = classPath(jar("com.fasterxml.jackson.core", "jackson-databind", "2.18.2"),
                jar("com.fasterxml.jackson.datatype", "jackson-datatype-jdk8", "2.18.2"),
                jar("tools.jackson.core", "jackson-databind", "3.0.1"), "/opt/app/classes");

        assertEquals(Map.of("jackson-databind", "2.18.2", "jackson-datatype-jdk8", "2.18.2"),
                path.versions("com.fasterxml.jackson"));
        assertEquals(Map.of("jackson-databind", "2.18.2"), path.versions("com.fasterxml.jackson.core"));
    }

    @Test
    void oneJacksonReleaseWithTheAnnotationsOnTheirMinorVersion() throws Exception {
        RuntimeClassPath path = classPath(jar("com.fasterxml.jackson.core", "jackson-databind", "2.20.1"),
                jar("com.fasterxml.jackson.core", "jackson-core", "2.20.1"),
                jar("com.fasterxml.jackson.core", "jackson-annotations", "2.20"));
        assertEquals(Optional.empty(), path.mixedJackson("com.fasterxml.jackson"));
    }

    @Test
    void mixedJacksonNamesTheVersions() throws Exception {
        RuntimeClassPath path = classPath(jar("com.fasterxml.jackson.core", "jackson-databind", "2.15.0"),
                jar("com.fasterxml.jackson.core", "jackson-core", "2.17.1"),
                jar("com.fasterxml.jackson.core", "jackson-annotations", "2.15"));
        assertEquals(Optional.of("mixed Jackson versions on the runtime class path: "
                + "{jackson-annotations=2.15, jackson-core=2.17.1, jackson-databind=2.15.0}"),
                path.mixedJackson("com.fasterxml.jackson"));
    }

    @Test
    void annotationsOfAnotherMinorAreMixed() throws Exception {
        RuntimeClassPath path = classPath(jar("com.fasterxml.jackson.core", "jackson-databind", "2.20.1"),
                jar("com.fasterxml.jackson.core", "jackson-annotations", "2.19"));
        assertTrue(path.mixedJackson("com.fasterxml.jackson").isPresent());
    }

    @Test
    void noDatabindIsReported() throws Exception {
        assertEquals(Optional.of("no jackson-databind on the class path: {}"),
                classPath("/opt/app/classes").mixedJackson("com.fasterxml.jackson"));
    }
}
