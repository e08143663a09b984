package dev.wif4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The BOM manages exactly wif4j's published artifacts, at the project's version, and nothing else. */
class BomTest {
    private static final Pattern ARTIFACT = Pattern.compile("<artifactId>([^<]+)</artifactId>");

    @Test
    void bomListsEveryPublishedModuleAndNothingElse() {
        String bom = ProjectLayout.read(ProjectLayout.root().resolve("bom/pom.xml"));
        assertFalse(bom.contains("<parent>"), "an imported BOM must not inherit a parent's dependencyManagement");
        assertFalse(bom.contains("<scope>"), "a BOM entry has no scope");
        assertEquals(1, bom.split("<dependencyManagement>", -1).length - 1);
        String managed = bom.substring(bom.indexOf("<dependencyManagement>"), bom.indexOf("</dependencyManagement>"));
        assertFalse(managed.replace("<groupId>dev.wif4j</groupId>", "").contains("<groupId>"),
                "only dev.wif4j artifacts");
        TreeSet<String> listed = new TreeSet<>(all(ARTIFACT, managed));
        TreeSet<String> published = new TreeSet<>();
        for (Path module : ProjectLayout.publishedModules()) {
            String pom = ProjectLayout.read(module.resolve("pom.xml"));
            String withoutParent = pom.replaceAll("(?s)<parent>.*?</parent>", "");
            Matcher m = ARTIFACT.matcher(withoutParent);
            assertTrue(m.find());
            published.add(m.group(1));
        }
        assertEquals(published, listed);
    }

    @Test
    void bomVersionIsTheProjectVersion() {
        Pattern version = Pattern.compile("<version>([^<]+)</version>");
        String parent = ProjectLayout.read(ProjectLayout.root().resolve("pom.xml"));
        String bom = ProjectLayout.read(ProjectLayout.root().resolve("bom/pom.xml"));
        Matcher p = version.matcher(parent);
        Matcher b = version.matcher(bom);
        assertTrue(p.find() && b.find());
        assertEquals(p.group(1), b.group(1));
        for (Path module : ProjectLayout.modulesWithSources()) {
            assertTrue(ProjectLayout.read(module.resolve("pom.xml")).contains("<version>" + p.group(1) + "</version>"),
                    module + " must use the parent's version");
        }
    }

    private static List<String> all(Pattern p, String text) {
        List<String> out = new ArrayList<>();
        Matcher m = p.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
