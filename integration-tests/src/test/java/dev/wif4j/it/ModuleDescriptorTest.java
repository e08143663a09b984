package dev.wif4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every published module is a real JPMS module whose packages start with its name, exports no
 * internal package, and registers the same providers in module-info and META-INF/services, so
 * discovery works alike on the module path and the class path.
 */
class ModuleDescriptorTest {
    private static final Pattern MODULE = Pattern.compile("\\bmodule\\s+([\\w.]+)\\s*\\{");
    private static final Pattern PROVIDES = Pattern.compile("provides\\s+([\\w.]+)\\s+with\\s+([\\w.,\\s]+);");
    private static final Pattern EXPORTS = Pattern.compile("\\bexports\\s+([\\w.]+)");

    /** Only the Spring starters go without a descriptor: Spring AI's jars have no module names (README). */
    @Test
    void everyPublishedModuleIsNamedButTheSpringStarters() {
        List<String> unnamed = ProjectLayout.publishedModules().stream()
                .filter(m -> !ProjectLayout.namedModules().contains(m))
                .map(m -> m.getFileName().toString()).toList();
        assertEquals(List.of("spring-boot", "spring-boot3"), unnamed);
    }

    @Test
    void providesClausesMatchTheServiceFiles() {
        for (Path module : ProjectLayout.namedModules()) {
            String descriptor = stripComments(ProjectLayout.read(module.resolve("src/main/java/module-info.java")));
            Map<String, Set<String>> provides = new TreeMap<>();
            Matcher m = PROVIDES.matcher(descriptor);
            while (m.find()) {
                provides.put(m.group(1), new TreeSet<>(Arrays.stream(m.group(2).split(","))
                        .map(String::strip).filter(s -> !s.isEmpty()).toList()));
            }
            Map<String, Set<String>> services = new TreeMap<>();
            Path dir = module.resolve("src/main/resources/META-INF/services");
            if (Files.isDirectory(dir)) {
                for (Path file : list(dir)) {
                    Set<String> names = new TreeSet<>();
                    for (String line : ProjectLayout.read(file).split("\n")) {
                        String name = line.replaceAll("#.*", "").strip();
                        if (!name.isEmpty()) {
                            names.add(name);
                        }
                    }
                    services.put(file.getFileName().toString(), names);
                }
            }
            assertEquals(provides, services, module.getFileName() + ": module-info provides vs META-INF/services");
        }
    }

    @Test
    void packagesStartWithTheModuleNameAndInternalsStayUnexported() {
        List<Path> modules = ProjectLayout.namedModules();
        assertTrue(modules.stream().anyMatch(m -> m.getFileName().toString().equals("core")));
        for (Path module : modules) {
            String descriptor = stripComments(ProjectLayout.read(module.resolve("src/main/java/module-info.java")));
            Matcher name = MODULE.matcher(descriptor);
            assertTrue(name.find(), module + " has no module declaration");
            String moduleName = name.group(1);
            Path sources = module.resolve("src/main/java");
            for (Path file : ProjectLayout.javaFiles(sources)) {
                if (file.getFileName().toString().equals("module-info.java")) {
                    continue;
                }
                String pkg = sources.relativize(file.getParent()).toString().replace('/', '.').replace('\\', '.');
                assertTrue(pkg.equals(moduleName) || pkg.startsWith(moduleName + "."),
                        file + ": package " + pkg + " does not start with module name " + moduleName);
            }
            Matcher exports = EXPORTS.matcher(descriptor);
            while (exports.find()) {
                assertFalse(exports.group(1).contains(".internal"), moduleName + " exports " + exports.group(1));
            }
        }
    }

    private static List<Path> list(Path dir) {
        try (var files = Files.list(dir)) {
            return new ArrayList<>(files.sorted().toList());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String stripComments(String source) {
        return source.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
    }
}
