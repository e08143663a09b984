package dev.wif4j.provider.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.buildsupport.ChildProgram;
import dev.wif4j.testkit.FakeDetectionContext;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The provider as an application meets it, with the Fabric8 release this build resolved (the default, or the
 * newest under {@code -Pnewest}): a JVM of its own with exactly the module's runtime dependencies (no test jars, no
 * Vert.x), on the class path or on the module path, fetching a token from a projected file and through the
 * TokenRequest API of Fabric8's mock API server. On the module path, for the file, the only root is
 * {@code dev.wif4j}: service binding resolves the provider through its {@code provides}, and Fabric8's JDK HTTP
 * client with it, whatever that client's module is named ({@code kubernetes.httpclient.jdk} up to Fabric8 7.5,
 * {@code io.fabric8.kubernetes.client.jdkhttp} since 7.6), which no {@code requires} names any more. The
 * TokenRequest takes {@code --add-modules ALL-MODULE-PATH} as well, as the README says, and finds the JDK client
 * through the provider's {@code uses}.
 */
class K8sModulePathTest {
    @RegisterExtension
    static final Started<K8sCluster> CLUSTER = new Started<>(K8sCluster::new);

    /** The two names Fabric8's JDK HTTP client has had as an automatic module. */
    static final Set<String> JDK_HTTP_MODULES =
            Set.of("kubernetes.httpclient.jdk", "io.fabric8.kubernetes.client.jdkhttp");

    enum Where {
        CLASS_PATH, MODULE_PATH
    }

    @ParameterizedTest(name = "on the {0}, the TokenRequest API through Fabric8's JDK HTTP client")
    @EnumSource(Where.class)
    void tokenRequest(Where where) throws Exception {
        int before = CLUSTER.get().tokenRequests.size();
        try (FakeDetectionContext pod = CLUSTER.get().pod().build()) {
            List<String> lines = run(where, pod, "token-request");
            assertTrue(lines.contains("chosen=k8s"), String.join("\n", lines));
            assertTrue(lines.contains("subject=" + K8sCluster.SUBJECT), String.join("\n", lines));
        }
        assertEquals(before + 1, CLUSTER.get().tokenRequests.size(), "one TokenRequest reached the API server");
    }

    @ParameterizedTest(name = "on the {0}, the projected token file")
    @EnumSource(Where.class)
    void projectedFile(Where where) throws Exception {
        int before = CLUSTER.get().tokenRequests.size();
        String token = CLUSTER.get().serviceAccountToken("https://api.anthropic.com", Duration.ofHours(1));
        try (FakeDetectionContext pod = CLUSTER.get().pod().file(K8sCluster.PROJECTED, token).build()) {
            List<String> lines = run(where, pod, "file");
            assertTrue(lines.contains("chosen=k8s"), String.join("\n", lines));
            assertTrue(lines.contains("subject=" + K8sCluster.SUBJECT), String.join("\n", lines));
        }
        assertEquals(before, CLUSTER.get().tokenRequests.size(), "the file source asks the API server nothing");
    }

    /** Starts modulepath.Main in its own JVM for the pod, and returns its output's lines, after it exited 0. */
    private static List<String> run(Where where, FakeDetectionContext pod, String source) throws Exception {
        // This module's classes, then its runtime dependencies as a user's build resolves them.
        List<String> libraries = new ArrayList<>(List.of(Path.of("target/classes").toAbsolutePath().toString()));
        libraries.addAll(List.of(Files.readString(Path.of("target/runtime-module-path.txt")).strip()
                .split(File.pathSeparator)));
        // Fabric8's default HTTP stack stays out (kubernetes-httpclient-vertx up to 7.x, -vertx-5 from 8.0 on).
        assertEquals(List.of(), libraries.stream().filter(e -> e.contains("vertx") || e.contains("netty")).toList());
        String application = Path.of("target/test-classes").toAbsolutePath().toString();
        // The TokenRequest needs Fabric8's explicit dependencies (SLF4J, SnakeYAML Engine, Jackson 3 in 8.x), which
        // its automatic modules cannot pull in: the README's --add-modules ALL-MODULE-PATH. The file needs nothing.
        String[] roots = source.equals("file") ? new String[] {"dev.wif4j"}
                : new String[] {"dev.wif4j", "ALL-MODULE-PATH"};
        ChildProgram child = where == Where.MODULE_PATH
                ? ChildProgram.of("modulepath.Main", List.of(application)).modulePath(libraries, roots)
                : ChildProgram.of("modulepath.Main", concat(libraries, application));
        List<String> args = new ArrayList<>(List.of(pod.root().toString(), "WIF4J_K8S_SOURCE=" + source));
        pod.environment().forEach((name, value) -> args.add(name + "=" + value));
        ChildProgram.Run run = child.in(pod.root()).env("AWS_EC2_METADATA_DISABLED", "true")
                .run(args.toArray(String[]::new));
        assertEquals(0, run.exit(), run.output());
        List<String> lines = run.stdout().lines().map(String::strip).toList();
        if (where == Where.MODULE_PATH) {
            assertTrue(lines.contains("provider-module=dev.wif4j.provider.k8s"), run.output());
            String jdkHttp = lines.stream().filter(l -> l.startsWith("jdk-http-module=")).findFirst().orElse("")
                    .substring("jdk-http-module=".length());
            assertTrue(JDK_HTTP_MODULES.contains(jdkHttp), run.output());
            System.out.println("K8sModulePathTest: Fabric8's JDK HTTP client resolved as module " + jdkHttp);
        } else {
            assertTrue(lines.contains("provider-module=null"), run.output());
            assertTrue(lines.contains("jdk-http-module=null"), run.output());
        }
        return lines;
    }

    private static List<String> concat(List<String> first, String last) {
        List<String> all = new ArrayList<>(first);
        all.add(last);
        return all;
    }
}
