package dev.wif4j.provider.authentik;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Keycloak for tests: the {@code keycloak-quarkus-dist} the build unpacked into {@code target/}, started in
 * dev mode ({@code start-dev}, in-memory H2, local caches) on 127.0.0.1 and a free port, with a realm imported
 * from the test resources, on a JDK 21+ found by {@link #findJava}; stopped (its whole process tree) by
 * {@link #close()}. Nothing in its environment comes from the test's: it gets a fixed PATH, its JDK, a small heap
 * and {@code AWS_EC2_METADATA_DISABLED=true}, and nothing that could make it dial out is switched on.
 */
final class KeycloakServer implements AutoCloseable {
    /** The longest wait for start-up; on 2 busy cores the first start (with Quarkus' re-augmentation) takes ~90 s. */
    static final Duration START_BOUND = Duration.ofSeconds(180);
    static final int MIN_JAVA = 21;
    /** Where JDKs are installed by Debian/Ubuntu packages, Temurin's packages and macOS. */
    static final List<Path> JDK_ROOTS = List.of(Path.of("/usr/lib/jvm"), Path.of("/Library/Java/JavaVirtualMachines"));

    private final Process process;
    private final int port;
    private final String realm;
    private final Path log;
    private final Thread stopOnExit;
    private Duration startedIn;

    private KeycloakServer(Process process, int port, String realm, Path log) {
        this.process = process;
        this.port = port;
        this.realm = realm;
        this.log = log;
        this.stopOnExit = new Thread(this::stop, "keycloak-stop");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /**
     * Starts Keycloak and waits until the realm's discovery document answers.
     *
     * @param home the unpacked distribution ({@code keycloak.home}, set by the POM)
     * @param java the JDK 21+ to run it on
     * @param realm the realm's name
     * @param realmResource the realm JSON on the test class path
     */
    static KeycloakServer start(Path home, Path java, String realm, String realmResource) throws IOException,
            InterruptedException {
        Path kc = home.resolve("bin/kc.sh");
        if (!Files.isRegularFile(kc)) {
            throw new AssertionError("Keycloak's distribution is not at " + home + ": the build unpacks "
                    + "org.keycloak:keycloak-quarkus-dist there (maven-dependency-plugin, process-test-resources); "
                    + "run ./mvnw -pl provider-authentik -am verify once online.");
        }
        Path imports = Files.createDirectories(home.resolve("data/import"));
        try (Stream<Path> old = Files.list(imports)) {
            for (Path p : old.toList()) {
                Files.delete(p);
            }
        }
        try (InputStream in = KeycloakServer.class.getResourceAsStream(realmResource)) {
            if (in == null) {
                throw new AssertionError("no realm " + realmResource + " on the test class path");
            }
            Files.copy(in, imports.resolve(realm + "-realm.json"), StandardCopyOption.REPLACE_EXISTING);
        }
        int port = freePort();
        Path log = home.resolveSibling("keycloak-" + port + ".log");
        ProcessBuilder builder = new ProcessBuilder(kc.toString(), "start-dev",
                "--http-host=127.0.0.1", "--http-port=" + port,
                "--http-management-host=127.0.0.1", "--http-management-port=" + freePort(),
                "--db=dev-mem", "--cache=local", "--import-realm")
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.clear(); // none of the test's environment (KC_*, JAVA_OPTS, proxies) reaches Keycloak
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("JAVA_HOME", java.toString());
        env.put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
        // C1 only: start-up on 2 cores is CPU-bound, and C2's compile threads compete with it.
        env.put("JAVA_OPTS_APPEND", "-XX:TieredStopAtLevel=1");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("LANG", "C.UTF-8");
        long t0 = System.nanoTime();
        Process process = builder.start();
        KeycloakServer server = new KeycloakServer(process, port, realm, log);
        try {
            server.awaitReady(t0);
        } catch (Throwable e) {
            server.close();
            throw e;
        }
        server.startedIn = Duration.ofNanos(System.nanoTime() - t0);
        return server;
    }

    private void awaitReady(long t0) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
                .connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(issuerUrl() + "/.well-known/openid-configuration"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        long deadline = t0 + START_BOUND.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("Keycloak exited with " + process.exitValue() + " before it answered; its log "
                        + log + " ends with:\n" + logTail());
            }
            try {
                if (client.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("Keycloak did not answer " + probe.uri() + " within " + START_BOUND.toSeconds()
                + " s; its log " + log + " ends with:\n" + logTail());
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    /** @return the realm's issuer, {@code http://127.0.0.1:<port>/realms/<realm>} (no trailing slash) */
    String issuerUrl() {
        return "http://127.0.0.1:" + port + "/realms/" + realm;
    }

    /** @return the realm's token endpoint */
    String tokenUrl() {
        return issuerUrl() + "/protocol/openid-connect/token";
    }

    /** @return how long start-up took, from launch to the first discovery answer */
    Duration startedIn() {
        return startedIn;
    }

    /**
     * The TCP sockets Keycloak's processes listen on, from Linux's {@code /proc/net/tcp} and {@code tcp6} (the
     * sockets whose inodes the processes hold open), as {@code address:port} with the address in the kernel's hex.
     *
     * @return e.g. {@code 0100007F:8CE7} for 127.0.0.1:36071; empty where there is no {@code /proc}
     */
    List<String> listeningSockets() throws IOException {
        Set<String> inodes = new HashSet<>();
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        for (ProcessHandle p : tree) {
            Path fds = Path.of("/proc", Long.toString(p.pid()), "fd");
            if (!Files.isDirectory(fds)) {
                continue;
            }
            try (Stream<Path> list = Files.list(fds)) {
                for (Path fd : list.toList()) {
                    try {
                        String target = Files.readSymbolicLink(fd).toString();
                        if (target.startsWith("socket:[")) {
                            inodes.add(target.substring(8, target.length() - 1));
                        }
                    } catch (IOException closedMeanwhile) {
                        // gone
                    }
                }
            }
        }
        List<String> listening = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path file = Path.of(table);
            if (!Files.isReadable(file)) {
                continue;
            }
            List<String> lines = Files.readAllLines(file);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && f[3].equals("0A") && inodes.contains(f[9])) { // 0A: LISTEN
                    listening.add(f[1]);
                }
            }
        }
        return listening;
    }

    /** @return whether a {@link #listeningSockets()} entry is on loopback: 127/8, ::1 or ::ffff:127/104 */
    static boolean isLoopback(String socket) {
        String address = socket.substring(0, socket.indexOf(':'));
        if (address.length() == 8) {
            return address.endsWith("7F"); // little-endian: the first octet is last
        }
        return address.equals("00000000000000000000000001000000")
                || address.startsWith("0000000000000000FFFF0000") && address.endsWith("7F");
    }

    /** @return the HTTP port */
    int port() {
        return port;
    }

    /** Stops Keycloak: kc.sh and the JVM it runs in the background, then whatever is left, forcibly. */
    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }

    private void stop() {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        for (ProcessHandle p : tree) {
            try {
                p.onExit().get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        }
    }

    /**
     * The JDK Keycloak runs on, looked for in this order: {@code configured} (the system property
     * {@code keycloak.java.home}, which the POM fills from the variable {@code KEYCLOAK_JAVA_HOME}); the JVM running
     * the tests, if it is 21 or newer; the newest JDK 21+ below {@code roots} (each entry's {@code release} file).
     *
     * @throws AssertionError saying what was looked at and what to install, when there is none
     */
    static Path findJava(String configured, Path testJava, List<Path> roots) {
        List<String> seen = new ArrayList<>();
        if (configured != null && !configured.isBlank() && !configured.startsWith("${")) {
            Path home = Path.of(configured);
            int version = version(home).orElse(-1);
            if (version >= MIN_JAVA) {
                return home;
            }
            throw new AssertionError("keycloak.java.home (or KEYCLOAK_JAVA_HOME) is " + configured + ", which is "
                    + (version < 0 ? "not a JDK (no release file and bin/java)" : "Java " + version) + ": Keycloak "
                    + "needs a JDK " + MIN_JAVA + " or newer.");
        }
        seen.add("keycloak.java.home and KEYCLOAK_JAVA_HOME (unset)");
        int running = version(testJava).orElse(-1);
        if (running >= MIN_JAVA) {
            return testJava;
        }
        seen.add("the test JVM " + testJava + " (" + (running < 0 ? "unknown version" : "Java " + running) + ")");
        Path best = null;
        int bestVersion = -1;
        for (Path root : roots) {
            List<Path> entries;
            try (Stream<Path> list = Files.list(root)) {
                entries = list.sorted(Comparator.naturalOrder()).toList();
            } catch (IOException | UncheckedIOException e) {
                seen.add(root + " (absent)");
                continue;
            }
            for (Path entry : entries) {
                Path home = Files.isDirectory(entry.resolve("Contents/Home")) ? entry.resolve("Contents/Home") : entry;
                Optional<Integer> v = version(home);
                seen.add(home + (v.isPresent() ? " (Java " + v.get() + ")" : " (not a JDK)"));
                if (v.isPresent() && v.get() >= MIN_JAVA && v.get() > bestVersion) {
                    best = home;
                    bestVersion = v.get();
                }
            }
        }
        if (best != null) {
            return best;
        }
        throw new AssertionError("Keycloak needs a JDK " + MIN_JAVA + " or newer, and none was found. Looked at: "
                + String.join(", ", seen) + ". Install one (e.g. apt-get install openjdk-21-jdk-headless, or "
                + "Temurin 21 or 25 from adoptium.net) below /usr/lib/jvm, or set KEYCLOAK_JAVA_HOME "
                + "(-Dkeycloak.java.home=...) to it.");
    }

    /** A JDK's feature version from its {@code release} file, when it has one and a {@code bin/java}. */
    static Optional<Integer> version(Path home) {
        if (!Files.isExecutable(home.resolve("bin/java"))) {
            return Optional.empty();
        }
        try {
            for (String line : Files.readAllLines(home.resolve("release"), StandardCharsets.UTF_8)) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String v = line.substring("JAVA_VERSION=".length()).replace("\"", "").strip();
                    String feature = v.startsWith("1.") ? v.substring(2) : v;
                    return Optional.of(Integer.parseInt(feature.split("[.+-]")[0]));
                }
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
