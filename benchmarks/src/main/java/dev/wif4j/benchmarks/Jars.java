package dev.wif4j.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The jars of a folder ({@code target/lib}), indexed by the Maven artifact id their embedded
 * {@code META-INF/maven/.../pom.properties} names, and the closure of one artifact over them: what a user who
 * declares that one artifact gets on the class path (compile and runtime dependencies, not optional ones). It
 * gives each peer library its own class path, not every provider's.
 */
final class Jars {
    private record Entry(Path jar, List<String> dependencies) {}

    /**
     * The runtime dependencies of the jars on these class paths that embed no POM (built with Gradle), from their
     * published POMs: without them a closure would stop short (a child run then fails with NoClassDefFoundError).
     */
    private static final Map<String, List<String>> NO_EMBEDDED_POM = Map.of(
            "opencensus-api", List.of("grpc-context"),
            "opencensus-contrib-http-util", List.of("opencensus-api", "guava"),
            "grpc-context", List.of("grpc-api")); // io.grpc.Context lives in grpc-api since gRPC 1.6x

    private final Map<String, Entry> byArtifact = new LinkedHashMap<>();

    Jars(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            for (Path jar : files.filter(f -> f.toString().endsWith(".jar")).sorted().toList()) {
                index(jar);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void index(Path jar) throws IOException {
        String fileName = jar.getFileName().toString();
        try (JarFile file = new JarFile(jar.toFile())) {
            String chosen = null;
            String artifact = null;
            for (JarEntry e : file.stream().toList()) {
                String name = e.getName();
                if (name.startsWith("META-INF/maven/") && name.endsWith("/pom.properties")) {
                    Properties p = new Properties();
                    try (InputStream in = file.getInputStream(e)) {
                        p.load(in);
                    }
                    String id = p.getProperty("artifactId");
                    // A shaded jar carries the POMs of what it shades too: its own is the one its file is named after.
                    if (chosen == null || fileName.startsWith(id + "-")) {
                        chosen = name;
                        artifact = id;
                    }
                }
            }
            if (chosen != null) {
                JarEntry pom = file.getJarEntry(chosen.replace("pom.properties", "pom.xml"));
                List<String> deps = NO_EMBEDDED_POM.getOrDefault(artifact, List.of());
                if (pom != null) {
                    try (InputStream in = file.getInputStream(pom)) {
                        deps = dependencies(in);
                    }
                }
                byArtifact.putIfAbsent(artifact, new Entry(jar, deps));
                return;
            }
        }
        // No embedded POM (a Gradle build): known by its file name, without dependencies.
        String base = fileName.replaceFirst("-\\d[^-]*(-[^-]*)?\\.jar$", "");
        byArtifact.putIfAbsent(base, new Entry(jar, NO_EMBEDDED_POM.getOrDefault(base, List.of())));
    }

    /** The artifact ids of the compile and runtime dependencies a POM declares, optional ones left out. */
    private static List<String> dependencies(InputStream pom) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Element project = factory.newDocumentBuilder().parse(pom).getDocumentElement();
            List<String> out = new ArrayList<>();
            for (Node section = project.getFirstChild(); section != null; section = section.getNextSibling()) {
                if (!"dependencies".equals(section.getNodeName())) {
                    continue; // dependencyManagement and profiles declare nothing by themselves
                }
                NodeList deps = ((Element) section).getElementsByTagName("dependency");
                for (int i = 0; i < deps.getLength(); i++) {
                    Element d = (Element) deps.item(i);
                    String scope = text(d, "scope", "compile");
                    if ((scope.equals("compile") || scope.equals("runtime")) && !text(d, "optional", "false").equals("true")) {
                        out.add(text(d, "artifactId", ""));
                    }
                }
            }
            return out;
        } catch (Exception e) {
            return List.of(); // an unreadable POM adds nothing; the child run fails if something is missing
        }
    }

    private static String text(Element e, String tag, String otherwise) {
        NodeList n = e.getElementsByTagName(tag);
        return n.getLength() == 0 ? otherwise : n.item(0).getTextContent().strip();
    }

    /**
     * The closure of the roots in the order Maven puts it on a class path: depth first, each artifact before what
     * it depends on, each root after everything the roots before it brought, every artifact once (Maven resolver's
     * pre-order list). The order matters to start-up: the class loader opens the jars in turn until it finds a
     * class, so a sorted class path with wif4j's jars last opens every other jar first.
     *
     * @param roots artifact ids, in the order a user declares them
     * @return the jars of the roots and of everything they depend on that is in the folder
     */
    List<Path> closure(String... roots) {
        for (String root : roots) {
            if (!byArtifact.containsKey(root)) {
                throw new IllegalStateException(root + " is not among the jars: build the benchmarks module again");
            }
        }
        LinkedHashSet<Path> jars = new LinkedHashSet<>();
        Set<String> seen = new HashSet<>();
        for (String root : roots) {
            visit(root, seen, jars);
        }
        return new ArrayList<>(jars);
    }

    private void visit(String artifact, Set<String> seen, LinkedHashSet<Path> jars) {
        Entry e = byArtifact.get(artifact);
        if (e == null || !seen.add(artifact)) {
            return;
        }
        jars.add(e.jar());
        for (String dependency : e.dependencies()) {
            visit(dependency, seen, jars);
        }
    }

    /** @return every jar */
    List<Path> all() {
        return byArtifact.values().stream().map(Entry::jar).distinct().sorted().toList();
    }

    /**
     * @param prefix a file-name prefix
     * @return the jars whose file name starts with it
     */
    List<Path> named(String prefix) {
        return all().stream().filter(j -> j.getFileName().toString().startsWith(prefix)).toList();
    }
}
