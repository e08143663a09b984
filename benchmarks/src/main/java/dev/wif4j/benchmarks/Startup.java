package dev.wif4j.benchmarks;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs a probe in a child JVM against the emulators on 127.0.0.1 (or off the cloud, with every metadata
 * endpoint a library may ask pointed at a closed port on 127.0.0.1), and times it from spawn to exit. The jars
 * come from {@code target/lib} (wif4j, every provider and their libraries) and {@code target/lib-official} (the
 * official client), where the build copies them; each class path is the closure of what a user declares, in the
 * order Maven gives it ({@link Jars#closure}), the probe's jar first as an application's own classes are.
 */
final class Startup implements AutoCloseable {
    /** The class paths measured. */
    enum ClassPath {
        /** wif4j-core and what it needs: the least an application needs. */
        CORE,
        /** wif4j-core and Jackson databind: an application that reads its answers as JSON. */
        CORE_JACKSON,
        /** Jackson databind alone, no wif4j: the floor's application. */
        JACKSON,
        /** Every provider and its cloud libraries as well: the closure of the eight provider artifacts. */
        ALL_PROVIDERS,
        /** Google's auth library alone ({@code google-auth-library-oauth2-http}). */
        GOOGLE_AUTH,
        /** The AWS SDK's credentials ({@code software.amazon.awssdk:auth}). */
        AWS_SDK,
        /** The official client ({@code com.anthropic:anthropic-java}) alone. */
        OFFICIAL,
        /** The official client with {@code wif4j-anthropic-java} (and so wif4j-core). */
        OFFICIAL_WIF4J
    }

    /** What the child is given: nothing but an empty world, or the emulators over http or https. */
    enum World {
        /** Off the cloud; the metadata endpoints point at a closed port, so a library that probes is refused. */
        OFF_THE_CLOUD,
        /** Off the cloud with no metadata endpoint set at all, so that wif4j's gcp provider has no reason to probe. */
        OFF_THE_CLOUD_NO_HOSTS,
        /** The emulators over plain http. */
        HTTP,
        /** The emulators over https, their certificate in a JKS trust store given with javax.net.ssl.trustStore. */
        HTTPS
    }

    /** One child run: a class path, a probe, a world. */
    enum Variant {
        /** wif4j-core: JVM start to the first access token. */
        FIRST_TOKEN_CORE(ClassPath.CORE, StartupProbe.class, World.HTTP),
        /** Every provider: JVM start to the first access token (a token file: detection short-circuits). */
        FIRST_TOKEN_ALL_PROVIDERS(ClassPath.ALL_PROVIDERS, StartupProbe.class, World.HTTP),
        /** Every provider: JVM start to the detection verdict, probes refused. */
        DETECT_ALL_PROVIDERS(ClassPath.ALL_PROVIDERS, DetectProbe.class, World.OFF_THE_CLOUD),
        /** Every provider: JVM start to the detection verdict, with no metadata host to probe. */
        DETECT_ALL_PROVIDERS_NO_HOSTS(ClassPath.ALL_PROVIDERS, DetectProbe.class, World.OFF_THE_CLOUD_NO_HOSTS),
        /** wif4j-core alone: JVM start to the detection verdict. */
        DETECT_CORE(ClassPath.CORE, DetectProbe.class, World.OFF_THE_CLOUD),
        /** wif4j-core alone: JVM start to {@code fromEnvironment()} returning, a token file configured. */
        BUILD_CORE(ClassPath.CORE, BuildProbe.class, World.HTTP),
        /**
         * The floor of DETECT_ALL_PROVIDERS: the JDK's {@code ServiceLoader} looking for a service no jar provides
         * on the same class path, which opens every jar; what any {@code ServiceLoader}-based discovery pays.
         */
        SERVICE_SCAN_ALL_PROVIDERS(ClassPath.ALL_PROVIDERS, ServiceScanProbe.class, World.OFF_THE_CLOUD),
        /** The floor of DETECT_CORE: the same scan on wif4j-core's class path. */
        SERVICE_SCAN_CORE(ClassPath.CORE, ServiceScanProbe.class, World.OFF_THE_CLOUD),
        /** The peer: JVM start to Google's Application Default Credentials failing off the cloud. */
        GOOGLE_ADC(ClassPath.GOOGLE_AUTH, AdcProbe.class, World.OFF_THE_CLOUD),
        /** The peer: JVM start to the AWS SDK's default credentials chain failing off the cloud. */
        AWS_DEFAULT_CHAIN(ClassPath.AWS_SDK, AwsChainProbe.class, World.OFF_THE_CLOUD),
        /** wif4j-core and java.net.http: JVM start to the first /v1/messages answer, https. */
        MESSAGES_CORE_HTTPS(ClassPath.CORE_JACKSON, MessagesProbe.class, World.HTTPS),
        /** The same over http. */
        MESSAGES_CORE_HTTP(ClassPath.CORE_JACKSON, MessagesProbe.class, World.HTTP),
        /** wif4j-core with the application's own java.net.http client handed to it: one client, https. */
        MESSAGES_SHARED_CLIENT_HTTPS(ClassPath.CORE_JACKSON, MessagesSharedClientProbe.class, World.HTTPS),
        /** The same over http. */
        MESSAGES_SHARED_CLIENT_HTTP(ClassPath.CORE_JACKSON, MessagesSharedClientProbe.class, World.HTTP),
        /**
         * The floor of the MESSAGES variants: the same application without wif4j (java.net.http, Jackson reading
         * the answer, a fixed API key, no exchange), https.
         */
        FLOOR_HTTPS(ClassPath.JACKSON, FloorProbe.class, World.HTTPS),
        /** The same over http. */
        FLOOR_HTTP(ClassPath.JACKSON, FloorProbe.class, World.HTTP),
        /**
         * The floor of any exchange: FLOOR_HTTPS trading the identity token by hand on its own client before its
         * call (one POST, Jackson, nothing else), https.
         */
        EXCHANGE_FLOOR_HTTPS(ClassPath.JACKSON, ExchangeFloorProbe.class, World.HTTPS),
        /** The same over http. */
        EXCHANGE_FLOOR_HTTP(ClassPath.JACKSON, ExchangeFloorProbe.class, World.HTTP),
        /**
         * FLOOR_HTTPS with the application's ObjectMapper made at start-up, before its call, as most applications
         * (and every Spring context) make it.
         */
        MAPPER_FIRST_FLOOR_HTTPS(ClassPath.JACKSON, MapperFirstFloorProbe.class, World.HTTPS),
        /** MESSAGES_SHARED_CLIENT_HTTPS with the application's ObjectMapper made at start-up, before its call. */
        MAPPER_FIRST_SHARED_CLIENT_HTTPS(ClassPath.CORE_JACKSON, MapperFirstSharedClientProbe.class, World.HTTPS),
        /** No wif4j: java.net.http alone, one /v1/messages call with a fixed token; the floor, https. */
        RAW_JDK_HTTPS(ClassPath.CORE, RawJdkProbe.class, World.HTTPS),
        /** The same over http. */
        RAW_JDK_HTTP(ClassPath.CORE, RawJdkProbe.class, World.HTTP),
        /** The official client's fromEnv() with its own workload identity: to the first answer, https. */
        OFFICIAL_HTTPS(ClassPath.OFFICIAL, OfficialClientProbe.class, World.HTTPS),
        /** The same over http. */
        OFFICIAL_HTTP(ClassPath.OFFICIAL, OfficialClientProbe.class, World.HTTP),
        /** The official client with WorkloadIdentityInterceptor: to the first answer, https. */
        OFFICIAL_WIF4J_HTTPS(ClassPath.OFFICIAL_WIF4J, OfficialClientWif4jProbe.class, World.HTTPS),
        /** The same over http. */
        OFFICIAL_WIF4J_HTTP(ClassPath.OFFICIAL_WIF4J, OfficialClientWif4jProbe.class, World.HTTP);

        final ClassPath classPath;
        final String mainClass;
        final World world;

        Variant(ClassPath classPath, Class<?> probe, World world) {
            this.classPath = classPath;
            this.mainClass = probe.getName();
            this.world = world;
        }
    }

    /** What a child run gave. */
    record Result(long nanos, String output) {
        /**
         * @return the time of the call a probe times itself ({@code detect_ns=} of a detection probe, {@code build_ns=}
         *     of {@link BuildProbe}), in nanoseconds, or -1
         */
        long callNanos() {
            return output.lines().filter(l -> l.startsWith("detect_ns=") || l.startsWith("build_ns="))
                    .mapToLong(l -> Long.parseLong(l.substring(l.indexOf('=') + 1))).findFirst().orElse(-1);
        }
    }

    private static final String TOKEN_FILE = "identity-token.jwt";
    private static final String TRUST_STORE_PASSWORD = "changeit";

    final Loopback loopback = new Loopback(Clock.systemUTC(), Duration.ofHours(1), false);
    private Loopback secure;
    private final Path target;
    private final Path work;
    private final String java;
    private final Jars lib;
    private final Jars official;
    private final int closedPort;

    Startup() {
        target = targetDirectory();
        try {
            work = Files.createTempDirectory("wif4j-startup-");
            Files.createDirectories(work.resolve("config"));
            Files.createDirectories(work.resolve("home"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        java = ProcessHandle.current().info().command().orElseThrow(
                () -> new IllegalStateException("cannot tell which java runs this JVM"));
        lib = new Jars(target.resolve("lib"));
        official = new Jars(target.resolve("lib-official"));
        closedPort = closedPort();
    }

    /** {@code benchmarks/target}, from where this class was loaded: the jar or the classes folder. */
    static Path targetDirectory() {
        try {
            Path location = Path.of(Startup.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path target = location.getParent();
            if (!Files.isDirectory(target.resolve("lib")) || !Files.isDirectory(target.resolve("lib-official"))) {
                throw new IllegalStateException(target.resolve("lib") + " or lib-official is missing: build with "
                        + "./mvnw -pl benchmarks -am package -DskipTests");
            }
            return target;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A port on 127.0.0.1 that nothing listens on: bound once, then closed, so a connect is refused. */
    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The JVM option that makes a child print its {@link ExitAccount} line at exit: the probes' jar is the agent.
     *
     * @return the option
     */
    String exitAccountAgent() {
        return "-javaagent:" + probeJar();
    }

    /** The module's own jar, holding the probes: a jar, because class-data archives refuse folders. */
    private Path probeJar() {
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(f -> f.getFileName().toString().matches("wif4j-benchmarks-.*\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no wif4j-benchmarks jar in " + target));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The providers, in the order a user who installs every one of them would declare them. */
    private static final String[] PROVIDERS = {"wif4j-provider-authentik", "wif4j-provider-aws", "wif4j-provider-azure",
        "wif4j-provider-ci", "wif4j-provider-gcp", "wif4j-provider-github", "wif4j-provider-k8s",
        "wif4j-provider-spiffe"};

    /** @return the jars of a class path in class-path order, the probe jar not included */
    List<Path> jars(ClassPath classPath) {
        Set<Path> jars = new LinkedHashSet<>();
        switch (classPath) {
            case CORE -> jars.addAll(lib.closure("wif4j-core"));
            case CORE_JACKSON -> jars.addAll(lib.closure("wif4j-core", "jackson-databind"));
            case JACKSON -> jars.addAll(lib.closure("jackson-databind"));
            case ALL_PROVIDERS -> jars.addAll(lib.closure(PROVIDERS));
            case GOOGLE_AUTH -> jars.addAll(lib.closure("google-auth-library-oauth2-http"));
            case AWS_SDK -> jars.addAll(lib.closure("auth"));
            case OFFICIAL, OFFICIAL_WIF4J -> {
                // The official client's own jars, and the Jackson jars it shares with wif4j-core (in target/lib).
                official.all().stream().filter(j -> !j.getFileName().toString().startsWith("wif4j-")).forEach(jars::add);
                Set<String> have = official.all().stream().map(j -> j.getFileName().toString().replaceFirst(
                        "-\\d.*", "")).collect(Collectors.toSet());
                lib.named("jackson-").stream().filter(j -> !have.contains(j.getFileName().toString().replaceFirst(
                        "-\\d.*", ""))).forEach(jars::add);
                if (classPath == ClassPath.OFFICIAL_WIF4J) {
                    jars.addAll(official.named("wif4j-anthropic-java-"));
                    jars.addAll(lib.closure("wif4j-core"));
                }
                // The official client is built with Gradle: its jars name no dependencies, so there is no Maven
                // order to follow. Sorted, as before.
                return jars.stream().sorted().toList();
            }
            default -> throw new IllegalArgumentException(classPath.toString());
        }
        return List.copyOf(jars);
    }

    /** The https emulators, made on first use (their certificate, and a JKS trust store holding it). */
    private Loopback secure() {
        if (secure == null) {
            secure = new Loopback(Clock.systemUTC(), Duration.ofHours(1), true);
            try (OutputStream out = Files.newOutputStream(trustStore())) {
                KeyStore store = KeyStore.getInstance("JKS");
                store.load(null, null);
                store.setCertificateEntry("anthropic-emulator", secure.anthropic.certificate());
                store.store(out, TRUST_STORE_PASSWORD.toCharArray());
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException("cannot write the trust store", e);
            }
        }
        return secure;
    }

    private Path trustStore() {
        return work.resolve("emulator-trust.jks");
    }

    /**
     * Runs a variant in a child JVM until it exits; a new identity token is written first, outside the time.
     *
     * @param variant what to run
     * @param jvmOptions extra JVM options
     * @return the child's wall-clock time from spawn to exit, and what it printed
     */
    Result run(Variant variant, List<String> jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmOptions);
        Loopback emulators = switch (variant.world) {
            case HTTP -> loopback;
            case HTTPS -> secure();
            default -> null;
        };
        if (variant.world == World.HTTPS) {
            command.add("-Djavax.net.ssl.trustStore=" + trustStore());
            command.add("-Djavax.net.ssl.trustStorePassword=" + TRUST_STORE_PASSWORD);
            command.add("-Djavax.net.ssl.trustStoreType=JKS");
        }
        // Every library's home folder is empty: no ~/.aws, no gcloud credentials, no ~/.config/anthropic.
        command.add("-Duser.home=" + work.resolve("home"));
        command.add("-cp");
        List<String> entries = new ArrayList<>();
        entries.add(probeJar().toString());
        jars(variant.classPath).forEach(j -> entries.add(j.toString()));
        command.add(String.join(File.pathSeparator, entries));
        command.add(variant.mainClass);
        if (emulators != null) {
            // For the probes that take them in code; the others ignore them.
            command.add(emulators.anthropic.baseUrl());
            command.add(emulators.ruleId);
            command.add(emulators.anthropic.organizationId());
            command.add(work.resolve(TOKEN_FILE).toString());
        }
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.clear(); // the child sees only what is set here, never this machine's own settings
        env.put("HOME", work.resolve("home").toString());
        env.put("ANTHROPIC_CONFIG_DIR", work.resolve("config").toString());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_CONFIG_FILE", work.resolve("home/aws-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", work.resolve("home/aws-credentials").toString());
        env.put("CLOUDSDK_CONFIG", work.resolve("home/gcloud").toString());
        if (variant.world != World.OFF_THE_CLOUD_NO_HOSTS) {
            // Where the libraries would look for a metadata server: nothing listens there.
            env.put("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:" + closedPort);
        }
        if (variant.world == World.OFF_THE_CLOUD) {
            env.put("GCE_METADATA_HOST", "127.0.0.1:" + closedPort);
            env.put("GCE_METADATA_IP", "127.0.0.1:" + closedPort);
        }
        if (emulators != null) {
            env.put("ANTHROPIC_FEDERATION_RULE_ID", emulators.ruleId);
            env.put("ANTHROPIC_ORGANIZATION_ID", emulators.anthropic.organizationId());
            env.put("ANTHROPIC_BASE_URL", emulators.anthropic.baseUrl());
            env.put("ANTHROPIC_IDENTITY_TOKEN_FILE", work.resolve(TOKEN_FILE).toString());
            writeIdentityToken(emulators);
        }
        Path log = work.resolve("child.log");
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        try {
            long start = System.nanoTime();
            Process child = builder.start();
            if (!child.waitFor(60, TimeUnit.SECONDS)) {
                child.destroyForcibly();
                throw new IllegalStateException("the child JVM did not finish within 60 s");
            }
            long elapsed = System.nanoTime() - start;
            String output = Files.readString(log);
            if (child.exitValue() != 0) {
                throw new IllegalStateException(variant + ": the child JVM exited with " + child.exitValue() + ":\n"
                        + output);
            }
            return new Result(elapsed, output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Writes a new identity token for the next child: the emulator accepts each one once. */
    private void writeIdentityToken(Loopback emulators) {
        try {
            Files.writeString(work.resolve(TOKEN_FILE), emulators.mint() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return a file in this run's working directory */
    Path workFile(String name) {
        return work.resolve(name);
    }

    @Override
    public void close() {
        loopback.close();
        if (secure != null) {
            secure.close();
        }
        try (Stream<Path> files = Files.walk(work)) {
            for (Path p : files.sorted((a, b) -> b.compareTo(a)).collect(Collectors.toList())) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
