package dev.wif4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a drift guard for a provider's "no signal" shortcut compares: the names two contexts were asked for. */
class FakeDetectionContextAskedTest {
    @Test
    void askedBeyondNamesWhatOnlyThisContextWasAskedFor() {
        try (FakeDetectionContext full = FakeDetectionContext.empty();
                FakeDetectionContext shortcut = FakeDetectionContext.empty()) {
            full.env("ACME_TOKEN_FILE");
            full.env("ACME_HOST");
            full.systemProperty("wif4j.acme.host");
            shortcut.env("ACME_HOST");
            shortcut.env("SOMETHING_ELSE");

            assertEquals(Set.of("env ACME_TOKEN_FILE", "property wif4j.acme.host"), full.askedBeyond(shortcut));
            assertEquals(Set.of("env SOMETHING_ELSE"), shortcut.askedBeyond(full));
            shortcut.env("ACME_TOKEN_FILE");
            shortcut.systemProperty("wif4j.acme.host");
            assertEquals(Set.of(), full.askedBeyond(shortcut));
        }
    }
}
