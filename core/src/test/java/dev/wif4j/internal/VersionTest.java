package dev.wif4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The User-Agent's Java version reads as {@code Runtime.Version.toString()} does, without its stream. */
class VersionTest {
    @Test
    void javaVersionTextIsRuntimeVersionsOwn() {
        assertEquals(Runtime.version().toString(), Version.text(Runtime.version()));
        for (String v : List.of("17", "17.0.15", "17.0.15+6", "17.0.15+6-Debian-1deb12u1", "25+36-LTS", "21-ea",
                "21-ea+12", "21-ea+12-foo", "21-ea-foo", "21+-foo", "9.0.1.2.3+4")) {
            Runtime.Version parsed = Runtime.Version.parse(v);
            assertEquals(parsed.toString(), Version.text(parsed), v);
        }
        assertEquals("wif4j/" + Version.version() + " (Java " + Runtime.version() + "; provider gcp)",
                Version.userAgent("gcp"));
    }
}
