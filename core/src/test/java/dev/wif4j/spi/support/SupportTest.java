package dev.wif4j.spi.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Endpoints, DMI, Text and ProviderIds. */
class SupportTest {

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
                Text.scrub("got " + jwt + "\nkey sk-ant-api03-abcdefghijklmnopqrstuvwxyz ok", 200));
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
