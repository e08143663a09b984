package dev.wif4j.provider.authentik;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How KeycloakEndToEndTest finds a JDK 21+ for Keycloak, and that it fails, saying what to install, without one. */
class KeycloakJdkSearchTest {
    @TempDir
    Path jvms;

    private Path jdk(String name, String version) throws IOException {
        Path home = Files.createDirectories(jvms.resolve(name));
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("bin/java"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(home.resolve("bin/java"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + version + "\"\n");
        return home;
    }

    @Test
    @DisplayName("no JDK 21+ anywhere: the test fails (it does not skip) naming what it looked at and what to install")
    void noneFoundFails() throws IOException {
        Path jdk17 = jdk("java-17-openjdk-amd64", "17.0.15");
        AssertionError e = assertThrows(AssertionError.class, () -> KeycloakServer.findJava("${env.KEYCLOAK_JAVA_HOME}",
                jdk17, List.of(jvms, jvms.resolve("absent"))));
        assertEquals("Keycloak needs a JDK 21 or newer, and none was found. Looked at: keycloak.java.home and "
                + "KEYCLOAK_JAVA_HOME (unset), the test JVM " + jdk17 + " (Java 17), " + jdk17 + " (Java 17), "
                + jvms.resolve("absent") + " (absent). Install one (e.g. apt-get install openjdk-21-jdk-headless, or "
                + "Temurin 21 or 25 from adoptium.net) below /usr/lib/jvm, or set KEYCLOAK_JAVA_HOME "
                + "(-Dkeycloak.java.home=...) to it.", e.getMessage());
    }

    @Test
    @DisplayName("the order: keycloak.java.home, then the test JVM if 21+, then the newest JDK 21+ below the roots")
    void searchOrder() throws IOException {
        Path jdk17 = jdk("java-17-openjdk-amd64", "17.0.15");
        Path jdk21 = jdk("java-21-openjdk-amd64", "21.0.8");
        Path jdk25 = jdk("temurin-25-jdk-amd64", "25.0.3");
        Files.createDirectories(jvms.resolve("default-java-not-a-jdk"));
        assertEquals(jdk25, KeycloakServer.findJava(null, jdk17, List.of(jvms)));
        assertEquals(jdk25, KeycloakServer.findJava("", jdk17, List.of(jvms)));
        assertEquals(jdk21, KeycloakServer.findJava(null, jdk21, List.of(jvms)), "the test JVM, when it is 21+");
        assertEquals(jdk21, KeycloakServer.findJava(jdk21.toString(), jdk17, List.of(jvms)), "the configured one first");
        AssertionError e = assertThrows(AssertionError.class,
                () -> KeycloakServer.findJava(jdk17.toString(), jdk25, List.of(jvms)));
        assertTrue(e.getMessage().startsWith("keycloak.java.home (or KEYCLOAK_JAVA_HOME) is " + jdk17 + ", which is Java "
                + "17: Keycloak needs a JDK 21 or newer."), e.getMessage());
    }
}
