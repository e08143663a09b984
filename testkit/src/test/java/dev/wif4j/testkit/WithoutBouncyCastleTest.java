package dev.wif4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * BouncyCastle is optional: without it the emulators that need no certificate work, and an https emulator fails
 * at start with a message naming the artifact to add. Loaded in a class loader of the test's class path minus
 * BouncyCastle, as a user's build without it sees the testkit.
 */
class WithoutBouncyCastleTest {

    @Test
    void anHttpsEmulatorNamesTheMissingArtifact() throws Exception {
        try (URLClassLoader loader = withoutBouncyCastle()) {
            Object builder = loader.loadClass(EntraEmulator.class.getName()).getMethod("builder").invoke(null);
            builder.getClass().getMethod("port", int.class).invoke(builder, 0);

            InvocationTargetException thrown = assertThrows(InvocationTargetException.class,
                    () -> builder.getClass().getMethod("start").invoke(builder));

            assertEquals(IllegalStateException.class, thrown.getCause().getClass());
            assertTrue(thrown.getCause().getMessage().contains("add org.bouncycastle:bcpkix-jdk18on"),
                    thrown.getCause().getMessage());
        }
    }

    @Test
    void theOtherEmulatorsStartWithoutIt() throws Exception {
        try (URLClassLoader loader = withoutBouncyCastle()) {
            AutoCloseable anthropic = (AutoCloseable) loader.loadClass(AnthropicEmulator.class.getName())
                    .getMethod("start").invoke(null);
            try (anthropic) {
                String baseUrl = (String) anthropic.getClass().getMethod("baseUrl").invoke(anthropic);
                assertTrue(baseUrl.startsWith("http://127.0.0.1:"), baseUrl);
            }
        }
    }

    private static URLClassLoader withoutBouncyCastle() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!Path.of(entry).getFileName().toString().startsWith("bc")) {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
        assertFalse(canLoad(loader, "org.bouncycastle.cert.X509v3CertificateBuilder"), "BouncyCastle still visible");
        return loader;
    }

    private static boolean canLoad(ClassLoader loader, String name) {
        try {
            Class.forName(name, false, loader);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
