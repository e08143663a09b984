package dev.wif4j.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The WIF4J_*, ANTHROPIC_* and wif4j.* names main code reads are documented, and the documented ones are read. */
class SettingsCheckTest {
    @Test
    void everySettingReadIsDocumentedAndEveryDocumentedOneIsRead() {
        Path root = Repository.root();
        // CHANGELOG.md is history: it names settings as they were (a renamed variable's old name), and a
        // setting found only there is not documented for a user.
        List<Path> docs = Markdown.userDocs(root).stream().filter(p -> !p.endsWith("CHANGELOG.md")).toList();
        long start = System.nanoTime();
        CodeNames code = CodeNames.scan(root, SettingsCheck.modules(root));
        System.out.printf("settings: %d names read, main code scanned in %d ms%n", code.reads.size(),
                (System.nanoTime() - start) / 1_000_000);
        assertTrue(code.reads.values().stream().anyMatch(r -> r.names().contains("WIF4J_K8S_TOKEN_PATH")),
                "derives provider settings: " + code.reads.keySet());
        assertTrue(code.reads.values().stream().anyMatch(r -> r.names().contains("wif4j.federation-rule-id")),
                "derives Spring properties");
        assertEquals(List.of(), new SettingsCheck(root).check(docs, code), "settings and their docs disagree");
    }

    @Test
    void anUndocumentedSettingAndADocumentedButUnknownOneAreReportedWithFileAndLine(@TempDir Path dir) throws Exception {
        Path sources = Files.createDirectories(dir.resolve("provider-acme/src/main/java/acme"));
        Files.writeString(dir.resolve("provider-acme/pom.xml"), "<project/>");
        Files.writeString(dir.resolve("pom.xml"), "<project><modules><module>provider-acme</module></modules></project>");
        Files.writeString(sources.resolve("AcmeSettings.java"), String.join("\n",
                "package acme;",
                "import dev.wif4j.spi.support.ProviderSettings;",
                "final class AcmeSettings {",
                "    static final String ID = \"acme\";",
                "    AcmeSettings(dev.wif4j.spi.DetectionContext context) {",
                "        ProviderSettings settings = ProviderSettings.of(context, ID);",
                "        settings.get(\"token.path\");",
                "        settings.secret(\"client.secret\");",
                "        context.env(\"ANTHROPIC_FEDERATION_RULE_ID\");",
                "        context.globalSetting(\"audience\");",
                "    }",
                "}", ""));
        Files.writeString(dir.resolve("README.md"), String.join("\n",
                "# Acme", "",
                "Set `ANTHROPIC_FEDERATION_RULE_ID` and `WIF4J_AUDIENCE`.", "",
                "| setting (`WIF4J_ACME_…`) | meaning |",
                "| --- | --- |",
                "| `token.path` | where the token is |",
                "Also `WIF4J_ACME_TOKEN_FILE` and `wif4j.acme.region`; `WIF4J_NOPE_<KEY>` names nothing.", ""));
        CodeNames code = CodeNames.scan(dir, SettingsCheck.modules(dir));
        assertEquals(List.of(
                "provider-acme/src/main/java/acme/AcmeSettings.java:8: WIF4J_ACME_CLIENT_SECRET / wif4j.acme.client.secret "
                        + "(provider setting acme.client.secret) is read here, but no doc names it",
                "README.md:8: WIF4J_ACME_TOKEN_FILE is not read by any main code (not a setting wif4j reads; fix the name, or remove it)",
                "README.md:8: WIF4J_NOPE_… names no setting (not a setting wif4j reads; fix the name, or remove it)",
                "README.md:8: wif4j.acme.region is not read by any main code (not a setting wif4j reads; fix the name, or remove it)"),
                new SettingsCheck(dir).check(List.of(dir.resolve("README.md")), code));
    }
}
