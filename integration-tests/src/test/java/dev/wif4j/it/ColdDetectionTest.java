package dev.wif4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.wif4j.testkit.AnthropicEmulator;
import dev.wif4j.testkit.OidcIssuer;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Detection off the cloud loads no cloud SDK and no Jackson databind: a child JVM with every provider on its
 * class path (and on the module path) runs {@code WorkloadIdentity.builder().detect()} under
 * {@code -Xlog:class+load}, with an empty environment but {@code AWS_EC2_METADATA_DISABLED=true}, and the
 * classes it loaded are checked. A second run points the metadata endpoints a provider may probe at a closed
 * port on 127.0.0.1, so the probe's connect is refused, and must load no SDK class either.
 *
 * <p>It also prints (without asserting) whether the JDK's HTTP client implementation and its TLS classes were
 * loaded, which detection needs only when a provider probes.
 */
class ColdDetectionTest {
    /** What detection must never load off the cloud: the SDKs belong to {@code open()}, databind to no one. */
    static final List<String> FORBIDDEN = List.of("software.amazon.", "com.azure.", "com.microsoft.aad.",
            "com.google.auth.", "io.fabric8.", "com.fasterxml.jackson.databind.");

    /**
     * The most classes of wif4j the first token may load, from {@code fromEnvironment()} to {@code close()}, every
     * provider on the class path. A class read from a jar costs a cold JVM about half a millisecond whatever its size,
     * and some 10 KB of heap, and wif4j's classes are most of what its first answer takes over an application without
     * it (docs/PERFORMANCE.md, seventh and eighth passes): wall-clock time cannot see one class more, this count does.
     * A class that joins the path takes one off it elsewhere, or changes this number on purpose.
     */
    static final int FIRST_TOKEN_CLASS_BUDGET = 86;

    private static final Pattern LOADED = Pattern.compile("\\[class,load\\s*\\] (\\S+) source:");

    @TempDir
    static Path work;

    static List<String> classPath;

    @BeforeAll
    static void readClassPath() throws IOException {
        Path file = Path.of("target/every-provider.classpath");
        assertTrue(Files.isRegularFile(file), file.toAbsolutePath() + " is made by the build (dependency:build-classpath)");
        classPath = new ArrayList<>();
        classPath.add(Path.of("target/test-classes").toAbsolutePath().toString());
        for (String entry : Files.readString(file).strip().split(Pattern.quote(File.pathSeparator))) {
            classPath.add(entry);
        }
        for (String provider : List.of("aws", "azure", "gcp", "k8s", "github", "authentik", "ci", "spiffe")) {
            assertTrue(classPath.stream().anyMatch(e -> e.contains("provider-" + provider)),
                    "wif4j-provider-" + provider + " is on the child's class path: " + classPath);
        }
    }

    @Test
    void detectionOffTheCloudLoadsNoCloudSdkNorDatabindOnTheClassPath() throws Exception {
        Run run = detect(false, Map.of());
        assertNothingForbidden(run);
    }

    @Test
    void detectionOffTheCloudLoadsNoCloudSdkNorDatabindOnTheModulePath() throws Exception {
        Run run = detect(true, Map.of());
        assertNothingForbidden(run);
    }

    /** The class each provider is: with no signal, detection loads it and nothing else of the provider. */
    static final Set<String> PROVIDER_CLASSES = Set.of("dev.wif4j.provider.aws.AwsIdentityProvider",
            "dev.wif4j.provider.azure.AzureIdentityProvider", "dev.wif4j.provider.gcp.GcpIdentityProvider",
            "dev.wif4j.provider.k8s.K8sIdentityProvider", "dev.wif4j.provider.github.GitHubActionsIdentityProvider",
            "dev.wif4j.provider.authentik.AuthentikIdentityProvider", "dev.wif4j.provider.ci.CiIdentityProvider",
            "dev.wif4j.provider.spiffe.SpiffeIdentityProvider");

    /**
     * A provider that is not available costs its own class and nothing more: no settings class, no internal class,
     * no lambda (each a class generated in the cold JVM detection runs in). The real context reads the machine's
     * own DMI data, which no test can redirect: on a cloud VM the providers rightly look further, so the test runs
     * only where that data names no cloud.
     */
    @Test
    void anUnavailableProviderLoadsOnlyItsOwnClass() throws Exception {
        assumeFalse(cloudDmi(), "this machine's DMI data names a cloud, which the providers read");
        Run run = detect(false, Map.of());
        assertEquals(0, run.exit(), run.output());
        assertTrue(run.output().contains("chosen=none"), "nothing is available off the cloud:\n" + run.output());
        Set<String> loaded = new TreeSet<>();
        for (String c : run.classes()) {
            if (c.startsWith("dev.wif4j.provider.")) {
                loaded.add(c);
            }
        }
        assertEquals(new TreeSet<>(PROVIDER_CLASSES), loaded, "the provider classes detection loaded:\n" + run.output());
    }

    /**
     * Detection compiles no regular expression: the first pattern in a JVM cost ~9 ms of a cold {@code detect()}
     * (issue 32), so ids, setting keys and profile names are checked by hand ({@code NamesTest} and
     * {@code IdShapesTest} hold those checks to the patterns). The JVM's own start-up compiles none either;
     * printing the report afterwards does ({@code String.format}), so only the classes before the child's mark count.
     */
    @Test
    void detectionCompilesNoRegularExpression() throws Exception {
        assumeFalse(cloudDmi(), "this machine's DMI data names a cloud, which the providers read");
        Run run = detect(false, Map.of());
        assertTrue(run.output().contains("chosen=none"), "nothing is available off the cloud:\n" + run.output());
        int mark = run.classes().indexOf(ColdDetection.Detected.class.getName());
        assertTrue(mark > 0, "the child marks the end of detection in its class-load log");
        List<String> detection = run.classes().subList(0, mark);
        assertTrue(detection.contains("dev.wif4j.DetectionReport"), "the mark follows detection: " + detection);
        assertFalse(detection.contains("java.util.regex.Pattern"), "detection loaded java.util.regex.Pattern");
    }

    /** Whether the DMI entries the providers read name AWS, Azure or Google Cloud. */
    private static boolean cloudDmi() throws IOException {
        for (String entry : List.of("sys_vendor", "product_name", "board_asset_tag", "chassis_asset_tag")) {
            Path file = Path.of("/sys/class/dmi/id", entry);
            if (Files.isRegularFile(file) && Files.isReadable(file)) {
                String value = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (value.startsWith("Amazon") || value.startsWith("i-") || value.startsWith("Google")
                        || value.startsWith("Microsoft") || value.startsWith("7783-7084")) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void aRefusedMetadataProbeLoadsNoCloudSdkNorDatabind() throws Exception {
        String closed = "127.0.0.1:" + closedPort();
        Run run = detect(false, Map.of(
                // The gcp provider probes the metadata host it is given; the connect is refused.
                "GCE_METADATA_HOST", closed,
                // What the AWS SDK would ask if it ever ran (it must not): IMDS, disabled and refused.
                "AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://" + closed));
        assertTrue(run.output().contains("the metadata server at " + closed + " did not answer"), run.output());
        assertNothingForbidden(run);
        assertEquals(List.of(), tls(run), "an http probe sets up no TLS (DeferredTls)");
    }

    @Test
    void theFirstTokenOverHttpSetsUpNoTls() throws Exception {
        Run run = httpFirstToken();
        assertEquals(List.of(), tls(run), "wif4j's own client over http sets up no TLS:\n" + run.output());
    }

    @Test
    void theFirstTokenOverHttpsSetsUpTlsWhenItConnects() throws Exception {
        try (OidcIssuer idp = OidcIssuer.start(); AnthropicEmulator anthropic = AnthropicEmulator.builder().https().start()) {
            Path trustStore = work.resolve("trust.jks");
            KeyStore store = KeyStore.getInstance("JKS");
            store.load(null, null);
            store.setCertificateEntry("emulator", anthropic.certificate());
            try (var out = Files.newOutputStream(trustStore)) {
                store.store(out, "changeit".toCharArray());
            }
            Run run = firstToken(idp, anthropic, List.of("-Djavax.net.ssl.trustStore=" + trustStore,
                    "-Djavax.net.ssl.trustStorePassword=changeit"));
            assertTrue(!tls(run).isEmpty(), "the https exchange did set TLS up");
        }
    }

    /**
     * Every function object from the first token's path to {@code close()} is a plain class or none: a lambda
     * costs a cold JVM a generated class, about twice the load of a plain one (issue 32).
     */
    @Test
    void theFirstTokenSpinsNoLambdaOfWif4j() throws Exception {
        Run run = httpFirstToken();
        List<String> lambdas = run.classes().stream().filter(c -> c.startsWith("dev.wif4j.")
                && !c.startsWith("dev.wif4j.it.") && c.contains("$$Lambda")).toList();
        assertEquals(List.of(), lambdas, "lambdas of wif4j on the first token's path");
    }

    /**
     * wif4j's jars, as the child's class path has them from the build, store their classes rather than deflate them:
     * a cold JVM reads a stored class without an inflater, and a third less heap per class it loads (issue 32,
     * docs/PERFORMANCE.md, eighth pass).
     */
    @Test
    void wif4jsJarsStoreTheirClasses() throws IOException {
        int jars = 0;
        for (String entry : classPath) {
            Path path = Path.of(entry);
            if (!path.getFileName().toString().startsWith("wif4j-") || !entry.endsWith(".jar")) {
                continue;
            }
            jars++;
            try (ZipFile jar = new ZipFile(path.toFile())) {
                List<String> deflated = jar.stream().filter(e -> e.getName().endsWith(".class")
                        && e.getMethod() != ZipEntry.STORED).map(ZipEntry::getName).toList();
                assertEquals(List.of(), deflated, path + ": classes deflated");
            }
        }
        assertTrue(jars >= 9, "wif4j-core and the eight providers' jars are on the class path: " + classPath);
    }

    /** The first token, from the environment, loads no more of wif4j's classes than {@link #FIRST_TOKEN_CLASS_BUDGET}. */
    @Test
    void theFirstTokenLoadsNoMoreClassesOfWif4jThanItsBudget() throws Exception {
        Run run = httpFirstToken();
        List<String> ours = run.classes().stream().filter(c -> c.startsWith("dev.wif4j.")
                && !c.startsWith("dev.wif4j.it.")).toList();
        assertTrue(ours.size() <= FIRST_TOKEN_CLASS_BUDGET, ours.size() + " classes of wif4j on the first token's "
                + "path, over the budget of " + FIRST_TOKEN_CLASS_BUDGET + ":\n" + String.join("\n", ours));
    }

    /**
     * The first token reads its identity token and its answer with Jackson's reader of text, the one an application's
     * {@code readTree(String)} loads too, and writes its request without Jackson's generator: neither the byte reader
     * nor the generator is linked before the request can go out (issue 32).
     */
    @Test
    void theFirstTokenLinksNeitherJacksonsByteReaderNorItsGenerator() throws Exception {
        Run run = httpFirstToken();
        assertTrue(run.classes().contains("com.fasterxml.jackson.core.json.ReaderBasedJsonParser"), "the run's log");
        List<String> linked = run.classes().stream().filter(c -> List.of(
                "com.fasterxml.jackson.core.json.ByteSourceJsonBootstrapper",
                "com.fasterxml.jackson.core.json.UTF8StreamJsonParser",
                "com.fasterxml.jackson.core.json.JsonWriteContext").contains(c)).toList();
        assertEquals(List.of(), linked, "Jackson's byte reader or generator on the first token's path");
    }

    /** The first token over http, from the environment: one child JVM that the tests reading its log share. */
    private static Run sharedHttpRun;

    private static synchronized Run httpFirstToken() throws Exception {
        if (sharedHttpRun == null) {
            try (OidcIssuer idp = OidcIssuer.start(); AnthropicEmulator anthropic = AnthropicEmulator.start()) {
                sharedHttpRun = firstToken(idp, anthropic, List.of());
            }
        }
        return sharedHttpRun;
    }

    /** A child JVM that gets its first access token over wif4j's own client, with a token file. */
    private static Run firstToken(OidcIssuer idp, AnthropicEmulator anthropic, List<String> jvmOptions)
            throws Exception {
        String rule = anthropic.trust(idp, "workload");
        Path token = Files.writeString(Files.createTempFile(work, "token", ".jwt"), idp.mint().subject("workload").sign());
        Map<String, String> env = new LinkedHashMap<>(anthropic.environment());
        env.put("ANTHROPIC_FEDERATION_RULE_ID", rule);
        env.put("ANTHROPIC_IDENTITY_TOKEN_FILE", token.toString());
        Run run = run(false, env, jvmOptions, "token");
        assertEquals(0, run.exit(), run.output());
        assertTrue(run.output().contains("token ok"), run.output());
        assertEquals(1, anthropic.tokensIssued());
        return run;
    }

    private static List<String> tls(Run run) {
        return run.classes().stream().filter(c -> c.startsWith("sun.security.ssl.")).toList();
    }

    /**
     * Each cloud's local signal at once, so that aws, azure, gcp and k8s each find theirs and say available:
     * detection still loads no SDK class, which only {@code open()} needs.
     */
    @Test
    void detectionThatFindsEachCloudsSignalStillLoadsNoCloudSdk() throws Exception {
        Path key = work.resolve("service-account.json");
        Files.writeString(key, "{\"type\": \"service_account\", \"client_email\": \"bench@example.iam.gserviceaccount.com\", "
                + "\"private_key_id\": \"k1\", \"private_key\": \"not a key\", \"client_id\": \"1\"}");
        Path token = work.resolve("k8s-token");
        Files.writeString(token, "header.payload.signature\n");
        Run run = detect(false, Map.of(
                "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", "not-a-secret",
                "IDENTITY_ENDPOINT", "http://127.0.0.1:" + closedPort() + "/msi/token", "IDENTITY_HEADER", "h",
                "WIF4J_AZURE_RESOURCE", "api://wif4j-test",
                "GOOGLE_APPLICATION_CREDENTIALS", key.toString(),
                "KUBERNETES_SERVICE_HOST", "127.0.0.1", "WIF4J_K8S_TOKEN_PATH", token.toString()));
        for (String id : List.of("aws", "azure", "gcp", "k8s")) {
            assertTrue(run.output().matches("(?s).*\\n" + id + " +\\d+ +(available|chosen) .*"), id + " found its signal:\n"
                    + run.output());
        }
        assertNothingForbidden(run, false);
    }

    private static void assertNothingForbidden(Run run) {
        assertNothingForbidden(run, true);
    }

    private static void assertNothingForbidden(Run run, boolean offTheCloud) {
        assertEquals(0, run.exit(), run.output());
        if (offTheCloud) {
            assertTrue(run.output().contains("chosen=none"), "nothing is available off the cloud:\n" + run.output());
        }
        Map<String, List<String>> found = new LinkedHashMap<>();
        for (String prefix : FORBIDDEN) {
            List<String> hits = run.classes().stream().filter(c -> c.startsWith(prefix)).toList();
            if (!hits.isEmpty()) {
                found.put(prefix, hits);
            }
        }
        Set<String> http = run.classes().stream().filter(c -> c.startsWith("jdk.internal.net.http.")).collect(
                Collectors.toCollection(TreeSet::new));
        Set<String> tls = run.classes().stream().filter(c -> c.startsWith("sun.security.ssl.")).collect(
                Collectors.toCollection(TreeSet::new));
        long jackson = run.classes().stream().filter(c -> c.startsWith("com.fasterxml.jackson.")).count();
        // Reported, not asserted: whether the JDK's HTTP client and TLS were set up at all.
        System.out.printf("ColdDetectionTest: %d classes loaded; jdk.internal.net.http: %d; sun.security.ssl: %d; "
                + "com.fasterxml.jackson: %d%n", run.classes().size(), http.size(), tls.size(), jackson);
        assertEquals(Map.of(), found.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> e.getValue().size() + " classes, first " + e.getValue().get(0))),
                "detection off the cloud loaded classes it does not need:\n" + run.output());
    }

    private static boolean isTestLibrary(String jar) {
        String name = Path.of(jar).getFileName().toString();
        return name.startsWith("junit-") || name.startsWith("opentest4j-") || name.startsWith("apiguardian-")
                || name.startsWith("wif4j-testkit-");
    }

    /** A port on 127.0.0.1 that nothing listens on: bound once, then closed. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private record Run(int exit, String output, List<String> classes) {}

    private static Run detect(boolean modulePath, Map<String, String> env) throws Exception {
        return run(modulePath, env, List.of());
    }

    private static Run run(boolean modulePath, Map<String, String> env, List<String> jvmOptions, String... args)
            throws Exception {
        Path log = Files.createTempFile(work, "class-load", ".log");
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.add("-Xlog:class+load=info:file=" + log);
        command.addAll(jvmOptions);
        List<String> libraries = classPath.subList(1, classPath.size());
        if (modulePath) {
            // The libraries as modules (the SDKs as automatic ones), the probe itself in the unnamed module; the
            // test libraries stay off. ALL-MODULE-PATH resolves what the automatic modules (java-spiffe) need, as
            // the README says.
            List<String> modules = libraries.stream().filter(j -> !isTestLibrary(j)).toList();
            command.addAll(List.of("--module-path", String.join(File.pathSeparator, modules),
                    "--add-modules", "ALL-MODULE-PATH", "-cp", classPath.get(0)));
        } else {
            String joined = String.join(File.pathSeparator, libraries);
            command.addAll(List.of("-cp", classPath.get(0) + File.pathSeparator + joined));
        }
        command.add(ColdDetection.class.getName());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().clear(); // off the cloud: no signal from this machine's own environment
        pb.environment().put("ANTHROPIC_CONFIG_DIR", Files.createDirectories(work.resolve("config")).toString());
        pb.environment().put("HOME", work.toString());
        pb.environment().put("AWS_EC2_METADATA_DISABLED", "true");
        pb.environment().putAll(env);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish");
        List<String> classes = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            Matcher m = LOADED.matcher(line);
            if (m.find()) {
                classes.add(m.group(1));
            }
        }
        assertTrue(classes.size() > 100, "the class-load log is read: " + classes.size() + " classes");
        return new Run(p.exitValue(), output, classes);
    }
}
