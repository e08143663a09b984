package dev.wif4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What Maven Central and a search page show of each published artifact: the licence, project URL, SCM,
 * developers and issue tracker, a readable name and description, and package documentation; and that the
 * unpublished modules stay unpublished and the release plugins stay out of the default build.
 */
class ReleaseMetadataTest {
    private static final String URL = "https://github.com/wif4j/wif4j";

    @Test
    void parentAndBomCarryTheLicenceScmDevelopersAndIssueTracker() {
        // The BOM has no parent, so it repeats what every other module inherits from the parent POM.
        for (String pom : List.of("pom.xml", "bom/pom.xml")) {
            String head = withoutProfilesAndBuild(ProjectLayout.read(ProjectLayout.root().resolve(pom)));
            assertTrue(head.contains("<name>Apache-2.0</name>")
                    && head.contains("<url>https://www.apache.org/licenses/LICENSE-2.0.txt</url>"), pom + ": licence");
            assertTrue(head.contains("<url>" + URL + "</url>"), pom + ": project URL");
            assertTrue(head.contains("<connection>scm:git:" + URL + ".git</connection>"), pom + ": scm");
            assertTrue(head.contains("<developerConnection>scm:git:"), pom + ": scm developerConnection");
            assertTrue(head.matches("(?s).*<developers>\\s*<developer>.*<name>[^<]+</name>.*</developers>.*"),
                    pom + ": developers");
            assertTrue(head.contains("<url>" + URL + "/issues</url>"), pom + ": issue tracker");
            // Children would otherwise get URL/artifactId, a page that does not exist.
            assertTrue(head.contains("child.project.url.inherit.append.path=\"false\"")
                    && head.contains("child.scm.url.inherit.append.path=\"false\""), pom + ": URLs inherited as they are");
        }
    }

    @Test
    void licenceFileIsTheApacheLicence() {
        String licence = ProjectLayout.read(ProjectLayout.root().resolve("LICENSE"));
        assertTrue(licence.strip().startsWith("Apache License\n                           Version 2.0, January 2004"));
        assertTrue(licence.contains("END OF TERMS AND CONDITIONS"));
    }

    @Test
    void everyPublishedModuleHasANameADescriptionAndDocumentedPackages() {
        Pattern exports = Pattern.compile("\\bexports\\s+([\\w.]+)\\s*;");
        List<String> problems = new ArrayList<>();
        for (Path module : ProjectLayout.publishedModules()) {
            String pom = ProjectLayout.read(module.resolve("pom.xml")).replaceAll("(?s)<parent>.*?</parent>", "");
            String name = element(pom, "name");
            String description = element(pom, "description");
            if (name == null || !name.startsWith("wif4j ")) {
                problems.add(module.getFileName() + ": <name> should start with 'wif4j ': " + name);
            }
            if (description == null || description.length() < 40 || !description.endsWith(".")) {
                problems.add(module.getFileName() + ": <description> should be a sentence: " + description);
            }
            Path descriptor = module.resolve("src/main/java/module-info.java");
            Matcher m = exports.matcher(Files.exists(descriptor) ? ProjectLayout.read(descriptor) : "");
            while (m.find()) {
                Path info = module.resolve("src/main/java/" + m.group(1).replace('.', '/') + "/package-info.java");
                if (!Files.exists(info) || !ProjectLayout.read(info).contains("/**")) {
                    problems.add(module.getFileName() + ": exported package " + m.group(1) + " has no package-info Javadoc");
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void unpublishedModulesAreNeitherInstalledNorDeployed() {
        String parent = ProjectLayout.read(ProjectLayout.root().resolve("pom.xml"));
        String bom = ProjectLayout.read(ProjectLayout.root().resolve("bom/pom.xml"));
        List<Path> unpublished = new ArrayList<>();
        Matcher modules = Pattern.compile("<module>([^<]+)</module>").matcher(parent);
        while (modules.find()) {
            Path module = ProjectLayout.root().resolve(modules.group(1));
            if (!module.getFileName().toString().equals("bom") && !ProjectLayout.publishedModules().contains(module)) {
                unpublished.add(module);
            }
        }
        assertTrue(unpublished.stream().anyMatch(m -> m.endsWith("integration-tests")), "reads the module list");
        for (Path module : unpublished) {
            String pom = ProjectLayout.read(module.resolve("pom.xml"));
            String artifactId = element(pom.replaceAll("(?s)<parent>.*?</parent>", ""), "artifactId");
            assertTrue(pom.contains("<maven.deploy.skip>true</maven.deploy.skip>")
                    && pom.contains("<maven.install.skip>true</maven.install.skip>"), module + " must not be published");
            // The Central plugin replaces the deploy step and does not read maven.deploy.skip.
            assertTrue(parent.contains("<excludeArtifact>" + artifactId + "</excludeArtifact>") && bom.contains(
                    "<excludeArtifact>" + artifactId + "</excludeArtifact>"), artifactId + " must be left out of the Central bundle");
        }
    }

    @Test
    void signingAndPublishingPluginsAreOnlyInTheReleaseProfile() {
        for (String pom : List.of("pom.xml", "bom/pom.xml")) {
            String text = ProjectLayout.read(ProjectLayout.root().resolve(pom));
            String outsideProfiles = text.replaceAll("(?s)<profiles>.*?</profiles>", "");
            assertFalse(outsideProfiles.contains("maven-gpg-plugin"), pom);
            assertFalse(outsideProfiles.contains("central-publishing-maven-plugin"), pom);
            assertTrue(text.matches("(?s).*<profile>\\s*<id>release</id>.*maven-gpg-plugin.*"
                    + "central-publishing-maven-plugin.*</profile>.*"), pom + ": release profile");
        }
    }

    private static String withoutProfilesAndBuild(String pom) {
        return pom.replaceAll("(?s)<profiles>.*?</profiles>", "").replaceAll("(?s)<build>.*?</build>", "");
    }

    /** The first element of that name, its text with white space collapsed; {@code null} if absent. */
    private static String element(String xml, String name) {
        Matcher m = Pattern.compile("(?s)<" + name + ">(.*?)</" + name + ">").matcher(xml);
        return m.find() ? m.group(1).strip().replaceAll("\\s+", " ") : null;
    }
}
