package dev.wif4j.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every ```java block of the user's Markdown compiles against the published modules. */
class SnippetCheckTest {
    @Test
    void everySnippetInTheDocsCompiles() {
        Path root = Repository.root();
        SnippetCheck.Result result = new SnippetCheck(root, SnippetCheck.mavenClassPath()).check(Markdown.userDocs(root));
        // The opted-out blocks, so that a reviewer sees them in the build log.
        result.skipped().forEach(s -> System.out.println("snippet " + s));
        assertTrue(result.compiled() > 0, "finds the README's snippets");
        assertEquals(List.of(), result.problems(), "snippets that do not compile");
    }

    @Test
    void aSnippetThatDoesNotCompileIsReportedWithFileAndLine(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("GUIDE.md"), String.join("\n",
                "# Guide", "", "```java",
                "WorkloadIdentity identity = WorkloadIdentity.fromEnvironment();",
                "identity.noSuchMethod();",
                "```", "", "```java",
                "record Ok(String value) {}",
                "```", ""));
        SnippetCheck.Result result = new SnippetCheck(dir, SnippetCheck.mavenClassPath()).check(List.of(dir.resolve("GUIDE.md")));
        assertEquals(2, result.compiled());
        assertEquals(1, result.problems().size(), result.problems().toString());
        assertTrue(result.problems().get(0).startsWith("GUIDE.md:5: cannot find symbol; symbol: method noSuchMethod()"), result.problems().toString());
    }

    @Test
    void deprecatedApiInASnippetIsReported(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("GUIDE.md"), String.join("\n",
                "```java", "Integer n = new Integer(3);", "```", ""));
        SnippetCheck.Result result = new SnippetCheck(dir, SnippetCheck.mavenClassPath()).check(List.of(dir.resolve("GUIDE.md")));
        assertEquals(1, result.problems().size(), result.problems().toString());
        assertTrue(result.problems().get(0).startsWith("GUIDE.md:2: "), result.problems().toString());
    }

    @Test
    void theFormsOfASnippetCompileAndAnOptOutIsListed(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("GUIDE.md"), String.join("\n",
                "1. In a list:", "",
                "   ```java",
                "   import java.util.concurrent.TimeUnit;",
                "   long ms = TimeUnit.SECONDS.toMillis(1);",
                "   ```", "",
                "```java",
                "@Bean",
                "WorkloadIdentityBuilderCustomizer customizer() {",
                "    return builder -> builder.provider(\"k8s\");",
                "}",
                "```", "",
                "```java",
                "package com.example;",
                "",
                "public class Unit {}",
                "```", "",
                "<!-- not compiled: shows the shape only -->",
                "```java",
                "identity.whatever(...);",
                "```", ""));
        SnippetCheck.Result result = new SnippetCheck(dir, SnippetCheck.mavenClassPath()).check(List.of(dir.resolve("GUIDE.md")));
        assertEquals(List.of(), result.problems());
        assertEquals(3, result.compiled());
        assertEquals(List.of("GUIDE.md:22: not compiled: shows the shape only"), result.skipped());
    }
}
