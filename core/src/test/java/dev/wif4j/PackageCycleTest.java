package dev.wif4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Core's package graph, as {@code jdeps} reads it from the compiled classes: the SPI stands alone, and the only
 * cycles are the public facade with its implementation (the facade builds the implementation, which hands back
 * and throws the facade's value types).
 */
class PackageCycleTest {
    private static final String FACADE = "dev.wif4j";
    /** The SPI, its support kit and the bottom layer beneath them, which providers' code runs on. */
    private static final Set<String> SPI = Set.of("dev.wif4j.spi", "dev.wif4j.spi.support", "dev.wif4j.spi.internal");
    private static final String BOTTOM = "dev.wif4j.spi.internal";

    /** Package to the packages it uses, core's own only; each edge with one class-level dependency as evidence. */
    private static Map<String, Map<String, String>> graph;

    @BeforeAll
    static void readGraph() throws URISyntaxException {
        Path classes = location(WorkloadIdentity.class);
        Path jackson = location(JsonFactory.class);
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(
                () -> new AssertionError("this JDK has no jdeps tool (a JRE?)"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // jackson-core is a multi-release jar whose module-info sits under META-INF/versions.
        int status = jdeps.run(new PrintWriter(out, true), new PrintWriter(err, true),
                "--multi-release", "17", "--module-path", jackson.toString(), "-verbose:class", classes.toString());
        assertEquals(0, status, () -> "jdeps failed: " + err + out);
        graph = new TreeMap<>();
        for (String line : out.toString().split("\\R")) {
            // "   dev.wif4j.spi.IdentityToken   -> dev.wif4j.spi.internal.Redaction   dev.wif4j"
            String[] parts = line.trim().split("\\s+");
            if (!line.startsWith(" ") || parts.length < 3 || !parts[1].equals("->")) {
                continue;
            }
            String from = packageOf(parts[0]);
            String to = packageOf(parts[2]);
            if (isCore(from) && isCore(to) && !from.equals(to)) {
                graph.computeIfAbsent(from, k -> new TreeMap<>()).putIfAbsent(to, parts[0] + " -> " + parts[2]);
            }
        }
        // Not vacuous: a change in jdeps' output format must fail here, not pass every check below.
        assertTrue(graph.containsKey("dev.wif4j.internal.exchange") && graph.containsKey("dev.wif4j.spi.support"),
                () -> "jdeps' output was not understood:\n" + out);
    }

    @Test
    @DisplayName("the SPI, its support kit and the layer beneath them use nothing of dev.wif4j or its internals")
    void spiStandsAlone() {
        List<String> offending = new ArrayList<>();
        for (String spi : SPI) {
            graph.getOrDefault(spi, Map.of()).forEach((to, evidence) -> {
                boolean allowed = !spi.equals(BOTTOM) && SPI.contains(to);
                if (!allowed) {
                    offending.add(spi + " -> " + to + "   (" + evidence + ")");
                }
            });
        }
        assertTrue(offending.isEmpty(), () -> "The SPI must depend on nothing in dev.wif4j or dev.wif4j.internal*, "
                + "and " + BOTTOM + " on nothing of core but itself:\n  " + String.join("\n  ", offending));
    }

    @Test
    @DisplayName("without the facade package, core's package graph has no cycle")
    void noCycleBelowTheFacade() {
        Map<String, Map<String, String>> below = new TreeMap<>();
        graph.forEach((from, edges) -> {
            if (!from.equals(FACADE)) {
                Map<String, String> kept = new TreeMap<>(edges);
                kept.remove(FACADE);
                below.put(from, kept);
            }
        });
        List<Set<String>> cycles = new ArrayList<>();
        for (Set<String> component : stronglyConnected(below)) {
            if (component.size() > 1) {
                cycles.add(component);
            }
        }
        StringBuilder message = new StringBuilder("Package cycles outside the facade (strongly connected components):");
        for (Set<String> cycle : cycles) {
            message.append("\n  ").append(cycle);
            for (String from : cycle) {
                below.get(from).forEach((to, evidence) -> {
                    if (cycle.contains(to)) {
                        message.append("\n    ").append(from).append(" -> ").append(to)
                                .append("   (").append(evidence).append(')');
                    }
                });
            }
        }
        assertTrue(cycles.isEmpty(), message::toString);
    }

    /** Tarjan's algorithm (recursive: the graph has a few dozen nodes), over the nodes in name order. */
    private static List<Set<String>> stronglyConnected(Map<String, Map<String, String>> edges) {
        Set<String> nodes = new TreeSet<>(edges.keySet());
        edges.values().forEach(e -> nodes.addAll(e.keySet()));
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<Set<String>> components = new ArrayList<>();
        for (String node : nodes) {
            if (!index.containsKey(node)) {
                connect(node, edges, index, low, stack, onStack, components);
            }
        }
        return components;
    }

    private static void connect(String node, Map<String, Map<String, String>> edges, Map<String, Integer> index,
            Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<Set<String>> components) {
        index.put(node, index.size());
        low.put(node, index.get(node));
        stack.push(node);
        onStack.add(node);
        for (String next : edges.getOrDefault(node, Map.of()).keySet()) {
            if (!index.containsKey(next)) {
                connect(next, edges, index, low, stack, onStack, components);
                low.put(node, Math.min(low.get(node), low.get(next)));
            } else if (onStack.contains(next)) {
                low.put(node, Math.min(low.get(node), index.get(next)));
            }
        }
        if (low.get(node).equals(index.get(node))) {
            Set<String> component = new TreeSet<>();
            String member;
            do {
                member = stack.pop();
                onStack.remove(member);
                component.add(member);
            } while (!member.equals(node));
            components.add(component);
        }
    }

    private static boolean isCore(String pkg) {
        return pkg.equals(FACADE) || pkg.startsWith(FACADE + ".");
    }

    private static String packageOf(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? "" : className.substring(0, dot);
    }

    private static Path location(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
