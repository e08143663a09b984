package dev.wif4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * testkit's module-info and its POM say the same of each dependency: an optional one is {@code requires static}, a
 * plain one a plain {@code requires}. Else a user on the module path without the optional artifact cannot resolve
 * testkit at all, or one with it gets a testkit that does not read it.
 */
class ModuleAgreesWithPomTest {

    /** The artifact (declared in the POM) that brings each module testkit requires. */
    private static final Map<String, String> ARTIFACT = Map.of(
            "dev.wif4j", "wif4j-core",
            "com.nimbusds.jose.jwt", "nimbus-jose-jwt",
            "com.fasterxml.jackson.databind", "jackson-databind",
            "org.bouncycastle.pkix", "bcpkix-jdk18on",
            "org.bouncycastle.provider", "bcpkix-jdk18on",
            "io.grpc", "grpc-api",
            "io.grpc.netty.shaded", "grpc-netty-shaded",
            "org.junit.jupiter.api", "junit-jupiter-api");

    @Test
    void everyRequiresIsStaticExactlyWhereThePomSaysOptional() throws Exception {
        Map<String, Boolean> optional = pomOptional();
        Map<String, Boolean> isStatic = new TreeMap<>();
        Map<String, Boolean> isOptional = new TreeMap<>();
        for (ModuleDescriptor.Requires requires : descriptor().requires()) {
            String module = requires.name();
            if (module.startsWith("java.") || module.startsWith("jdk.")) {
                continue;
            }
            String artifact = ARTIFACT.get(module);
            assertTrue(artifact != null, "testkit requires " + module + ": name its artifact in ARTIFACT");
            assertTrue(optional.containsKey(artifact), "testkit requires " + module + ", but its POM does not "
                    + "declare " + artifact + " (compile scope)");
            String key = module + " (" + artifact + ")";
            isStatic.put(key, requires.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC));
            isOptional.put(key, optional.get(artifact));
        }
        assertEquals(isOptional, isStatic, "requires static in module-info (actual) where the POM says optional (expected)");
        assertTrue(ARTIFACT.values().containsAll(optional.keySet()),
                "the POM declares " + optional.keySet() + ", the module requires only what brings " + ARTIFACT.values());
    }

    private static ModuleDescriptor descriptor() throws Exception {
        Path classes = Path.of(LoopbackEmulator.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            return ModuleDescriptor.read(in);
        }
    }

    /** @return each compile-scope dependency of testkit's POM, and whether it is optional */
    private static Map<String, Boolean> pomOptional() throws Exception {
        String pom = Files.readString(Path.of(System.getProperty("basedir", ".")).resolve("pom.xml"))
                .replaceAll("(?s)<!--.*?-->", "");
        Map<String, Boolean> dependencies = new TreeMap<>();
        Matcher dependency = Pattern.compile("(?s)<dependency>(.*?)</dependency>").matcher(pom);
        while (dependency.find()) {
            String text = dependency.group(1);
            String scope = element(text, "scope", "compile");
            if (scope.equals("compile")) {
                dependencies.put(element(text, "artifactId", ""),
                        Boolean.parseBoolean(element(text, "optional", "false")));
            }
        }
        assertTrue(dependencies.containsKey("wif4j-core"), "read no dependencies from the POM: " + dependencies);
        return dependencies;
    }

    private static String element(String text, String name, String otherwise) {
        Matcher m = Pattern.compile("<" + name + ">\\s*([^<]*?)\\s*</" + name + ">").matcher(text);
        return m.find() ? m.group(1) : otherwise;
    }
}
