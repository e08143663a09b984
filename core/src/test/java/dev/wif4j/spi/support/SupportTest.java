package dev.wif4j.spi.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Endpoints, DMI, Text and ProviderIds. */
class SupportTest {
    /** Canaries are put together at run time: no key-shaped literal sits in the source. */
    private static final String API_KEY_PREFIX = "sk-ant-api03-";

    @Test
    void loopbackMeansLocalhostOrALoopbackLiteralNeverAResolvedName() {
        for (String host : new String[] {"localhost", "LOCALHOST", "127.0.0.1", "[::1]", "::1"}) {
            assertTrue(Endpoints.isLoopback(host), host);
        }
        for (String host : new String[] {"10.0.0.1", "169.254.169.254", "localhost.evil.example", "127.0.0.1.nip.io",
                "[::2]", "example.com", "", "0.0.0.0", "127.0.0.2", "[::ffff:127.0.0.1]", "2130706433"}) {
            assertFalse(Endpoints.isLoopback(host), host);
        }
        assertFalse(Endpoints.isLoopback(null));
    }

    @Test
    void endpointRule() {
        assertEquals("https://sts.us-east-1.amazonaws.com/", Endpoints.parse(" https://sts.us-east-1.amazonaws.com/ ")
                .toString());
        assertEquals("http://127.0.0.1:8080/x?api-version=2.0", Endpoints.parse("http://127.0.0.1:8080/x?api-version=2.0")
                .toString());
        for (String bad : new String[] {"http://metadata.google.internal/", "ftp://localhost/", "/relative",
                "https://user:pw@host/", "https://host/#frag", "not a url", "https:///nohost"}) {
            assertThrows(IllegalArgumentException.class, () -> Endpoints.parse(bad), bad);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Endpoints.parse("https://user:hunter2@host/"));
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void urlsAreDescribedByTheirSchemeHostAndPortAlone() {
        assertEquals("'https://api.example.com'", Endpoints.describe(" https://api.example.com/v1?key=k#f "));
        assertEquals("'http://127.0.0.1:8080'", Endpoints.describe("http://user:pw@127.0.0.1:8080/x"));
        assertEquals("'https://[::1]:9'", Endpoints.describe("https://[::1]:9"));
        // A password holding '/' hides the host; with digits before the '/', Java takes them for the port.
        assertEquals("(a value of 24 characters, not shown: no host can be read from it)",
                Endpoints.describe("https://u:pa/ss@host.com"));
        assertEquals("(a value of 24 characters, not shown: no host can be read from it)",
                Endpoints.describe("https://u:12/ss@host.com"));
        assertEquals("(a value of 9 characters, not shown: no host can be read from it)", Endpoints.describe("not a url"));
        assertEquals("(none)", Endpoints.describe(null));
    }

    @Test
    void endpointSettingsShowNoPasswordOrQuery() {
        MapContext ctx = new MapContext().env("VAULT_ADDR", "http://user:hunter2@vault.internal:8200/v1?token=s3cret");
        SettingException e = assertThrows(SettingException.class,
                () -> ProviderSettings.of(ctx, "vault").get("address").orEnv("VAULT_ADDR").asEndpoint());
        assertTrue(e.getMessage().startsWith("VAULT_ADDR is 'http://vault.internal:8200', but it is http:// to "),
                e.getMessage());
        assertFalse(e.getMessage().contains("hunter2") || e.getMessage().contains("s3cret"), e.getMessage());
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void safePathsRefuseWritableOrForeignAncestorsAndLinks(@TempDir Path root) throws Exception {
        Path a = Files.createDirectory(root.resolve("a"));
        Path c = Files.createDirectories(a.resolve("b/c"));
        assertEquals(c.toRealPath(), SafePaths.checkDirectory(c));
        Files.setPosixFilePermissions(a, PosixFilePermissions.fromString("rwxrwxrwx"));
        SafePaths.UnsafePathException e = assertThrows(SafePaths.UnsafePathException.class,
                () -> SafePaths.checkDirectory(c));
        assertEquals(a.toRealPath(), e.path());
        assertEquals(a.toRealPath() + " can be written by other users (mode 0777) and has no sticky bit", e.getMessage());
        Files.setPosixFilePermissions(a, PosixFilePermissions.fromString("rwxrwxr-x"));
        assertTrue(assertThrows(SafePaths.UnsafePathException.class, () -> SafePaths.checkDirectory(c)).getMessage()
                .endsWith("can be written by other members of its group (mode 0775) and has no sticky bit"));
        assertEquals(0, new ProcessBuilder("chmod", "1777", a.toString()).start().waitFor());
        assertEquals(c.toRealPath(), SafePaths.checkDirectory(c), "the sticky bit makes it safe");
        Files.setPosixFilePermissions(a, PosixFilePermissions.fromString("rwx------"));

        Path link = Files.createSymbolicLink(root.resolve("link"), c);
        assertEquals(c.toRealPath(), SafePaths.checkDirectory(link), "links resolved first");
        assertEquals(link + " is a symbolic link",
                assertThrows(SafePaths.UnsafePathException.class, () -> SafePaths.checkOwnFile(link)).getMessage());
        Path file = Files.writeString(c.resolve("f"), "x");
        SafePaths.checkOwnFile(file);

        // Another user's directory or file: only root can hand one over, so only then is this checked.
        UserPrincipal nobody = root.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        try {
            Files.setOwner(file, nobody);
            Files.setOwner(c.getParent(), nobody);
        } catch (IOException notRoot) {
            return;
        }
        if (SafePaths.currentUid().isPresent()) {
            assertTrue(assertThrows(SafePaths.UnsafePathException.class, () -> SafePaths.checkOwnFile(file))
                    .getMessage().matches(".* is owned by nobody \\(uid \\d+\\), not by this user \\(uid \\d+\\) or root"));
            e = assertThrows(SafePaths.UnsafePathException.class, () -> SafePaths.checkDirectory(c));
            assertEquals(c.getParent().toRealPath(), e.path());
        }
    }

    @Test
    void dmiEntriesAreReadStrippedAndMissingOnesAreEmpty(@TempDir Path root) throws IOException {
        MapContext ctx = new MapContext();
        ctx.root = root;
        Files.createDirectories(root.resolve("sys/class/dmi/id"));
        Files.writeString(root.resolve("sys/class/dmi/id/product_name"), "Google Compute Engine\n");
        Files.createDirectories(root.resolve("sys/class/dmi/id/board_asset_tag")); // not a file
        assertEquals(Optional.of("Google Compute Engine"), Dmi.read(ctx, "product_name"));
        assertTrue(Dmi.startsWith(ctx, "product_name", "google"));
        assertEquals(Optional.empty(), Dmi.read(ctx, "sys_vendor"));
        assertEquals(Optional.empty(), Dmi.read(ctx, "board_asset_tag"));
        assertThrows(IllegalArgumentException.class, () -> Dmi.read(ctx, "../../etc/passwd"));
    }

    @Test
    void textEscapesAndCuts() {
        assertEquals("'a\\nb\\tc\\u0000\\u00e9'", Text.quote("a\nb\tc\u0000\u00e9"));
        String cut = Text.escape("x".repeat(500), 10);
        assertEquals("xxxxxxxxxx... (500 characters)", cut);
        assertEquals("null", Text.escape(null, 10));
    }

    @Test
    void scrubHidesTokenShapesThenEscapes() {
        String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlX3g5UWE";
        assertEquals("got [redacted ...5UWE]\\nkey [redacted ...wxyz] ok",
                Text.scrub("got " + jwt + "\nkey " + API_KEY_PREFIX + "abcdefghijklmnopqrstuvwxyz ok", 200));
        assertEquals("null", Text.scrub(null, 10));
    }

    @Test
    void providerIds() {
        assertTrue(ProviderIds.isValid("acme-vault"));
        assertFalse(ProviderIds.isValid("Acme"));
        assertFalse(ProviderIds.isValid("1password"));
        assertFalse(ProviderIds.isValid("a".repeat(64)));
        assertThrows(IllegalArgumentException.class, () -> ProviderIds.require("bad id\n"));
    }
}
