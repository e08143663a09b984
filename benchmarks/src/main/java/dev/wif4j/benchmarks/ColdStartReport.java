package dev.wif4j.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The cold paths side by side in one run: every {@link Startup.Variant} (wif4j and its peers) in turn, round
 * after round in fresh JVMs, so that the machine's noise falls on all of them alike; then one more run of each
 * under {@code -Xlog:class+load} to count what it loaded, and a few more with the {@link ExitAccount} agent to
 * account for their cost. Prints Markdown tables: medians, the {@code detect()} call itself, the classes, each first
 * answer's increment over its floor (issue 32: {@code FLOOR_HTTPS}, the same application without wif4j), the ratios
 * issue 17 asks for, and what each run cost besides its wall-clock time (CPU, JIT, young collections, heap) with
 * the increments of those over the floor.
 *
 * <p>Within a round the variants run in an order drawn anew each round, from a seed the report prints, so that no
 * variant always follows another. Each increment and ratio comes with a 95 % interval for the median of the
 * rounds' differences: on a shared machine single rounds differ by hundreds of milliseconds and a median over a
 * few rounds moves by tens, so whether a goal is met is read from that interval, not from one figure.
 *
 * <p>With {@code --cds} first, every variant runs with an application class-data archive of its own, written by
 * one untimed run with {@code -XX:ArchiveClassesAtExit} before the rounds: what an application that archives its
 * classes starts in, wif4j's as much as its own. With {@code --cds=wif4j}, every variant runs with a static archive
 * of the JDK's default class list plus the classes of wif4j it loads, and nothing else: a floor loads none, so its
 * archive holds what the JDK's own does; the increment left over the floor is what wif4j costs besides reading and
 * defining its own classes.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.wif4j.benchmarks.ColdStartReport \
 *     [--cds|--cds=wif4j] [rounds] [VARIANT,...] [seed]
 * </pre>
 */
public final class ColdStartReport {
    /**
     * Runs of each variant with the {@link ExitAccount} agent, after the timed rounds (whose wall-clock times the
     * agent would change): CPU time, collections and allocation move far less from run to run than wall-clock time.
     */
    static final int ACCOUNT_ROUNDS = 5;

    /** The option that gives each variant an application class-data archive of its own. */
    static final String CDS_ALL = "--cds";
    /** The option that gives each variant an archive of the JDK's default classes and wif4j's only. */
    static final String CDS_WIF4J = "--cds=wif4j";

    private ColdStartReport() {}

    /**
     * Runs the variants and prints the report.
     *
     * @param args optionally {@code --cds} or {@code --cds=wif4j}, then the number of measured rounds (default 7), then
     *     optionally a comma-separated list of variants, then optionally the seed of the order the variants run in
     *     within each round
     */
    public static void main(String[] args) {
        String cds = args.length > 0 && args[0].startsWith("--cds") ? args[0] : null;
        if (cds != null) {
            if (!cds.equals(CDS_ALL) && !cds.equals(CDS_WIF4J)) {
                throw new IllegalArgumentException("unknown option " + cds + "; " + CDS_ALL + " or " + CDS_WIF4J);
            }
            args = Arrays.copyOfRange(args, 1, args.length);
        }
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        List<Startup.Variant> variants = args.length > 1
                ? Arrays.stream(args[1].split(",")).map(String::strip).map(Startup.Variant::valueOf).toList()
                : List.of(Startup.Variant.values());
        long seed = args.length > 2 ? Long.parseLong(args[2]) : System.nanoTime();
        Random order = new Random(seed);
        Map<Startup.Variant, List<Long>> walls = new EnumMap<>(Startup.Variant.class);
        Map<Startup.Variant, List<Long>> calls = new EnumMap<>(Startup.Variant.class);
        Map<Startup.Variant, String> classes = new EnumMap<>(Startup.Variant.class);
        Map<Startup.Variant, List<ExitAccount.Costs>> costs = new EnumMap<>(Startup.Variant.class);
        try (Startup startup = new Startup()) {
            Map<Startup.Variant, List<String>> options = new EnumMap<>(Startup.Variant.class);
            for (Startup.Variant v : variants) {
                options.put(v, cds == null ? List.of() : archive(startup, v, cds.equals(CDS_WIF4J)));
            }
            for (int round = -1; round < rounds; round++) { // round -1 warms the file cache and is not counted
                List<Startup.Variant> turn = new ArrayList<>(variants);
                Collections.shuffle(turn, order);
                for (Startup.Variant v : turn) {
                    Startup.Result r = startup.run(v, options.get(v));
                    if (round >= 0) {
                        walls.computeIfAbsent(v, k -> new ArrayList<>()).add(r.nanos());
                        if (r.callNanos() >= 0) {
                            calls.computeIfAbsent(v, k -> new ArrayList<>()).add(r.callNanos());
                        }
                    }
                }
                System.err.println("round " + (round + 1) + " of " + rounds + " done");
            }
            for (Startup.Variant v : variants) {
                Path log = startup.workFile("class-load-" + v + ".log");
                List<String> logged = new ArrayList<>(options.get(v));
                logged.add("-Xlog:class+load=info:file=" + log);
                startup.run(v, logged);
                classes.put(v, classCounts(log));
            }
            for (int round = 0; round < ACCOUNT_ROUNDS; round++) {
                List<Startup.Variant> turn = new ArrayList<>(variants);
                Collections.shuffle(turn, order);
                for (Startup.Variant v : turn) {
                    List<String> accounted = new ArrayList<>(options.get(v));
                    accounted.add(startup.exitAccountAgent());
                    Startup.Result r = startup.run(v, accounted);
                    costs.computeIfAbsent(v, k -> new ArrayList<>()).add(ExitAccount.Costs.parse(r.output())
                            .orElseThrow(() -> new IllegalStateException(v + " printed no exit account:\n"
                                    + r.output())));
                }
            }
        }
        System.out.printf("%d rounds; each variant once per round, in an order drawn each round (seed %d)%s; ms from "
                + "spawn to exit%n%n", rounds, seed, cds == null ? ""
                        : cds.equals(CDS_ALL) ? ", each with an application class-data archive of its own"
                        : ", each with a class-data archive of the JDK's default classes and wif4j's it loads");
        System.out.println("| variant | class path | median ms | min | max | `detect()` / `build()` ms (median) "
                + "| classes loaded (java.net.http impl / TLS / OkHttp / databind) |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
        for (Startup.Variant v : variants) {
            List<Long> w = walls.get(v);
            String call = calls.containsKey(v) ? String.format("%.1f", median(calls.get(v)) / 1e6) : "";
            System.out.printf("| %s | %s | %.0f | %.0f | %.0f | %s | %s |%n", v, v.classPath, median(w) / 1e6,
                    w.stream().mapToLong(Long::longValue).min().orElse(0) / 1e6,
                    w.stream().mapToLong(Long::longValue).max().orElse(0) / 1e6, call, classes.get(v));
        }
        System.out.println();
        // Each round runs every variant once: the difference within a round is paired, so a slow stretch of the
        // machine moves both sides of it; its median is steadier than the difference of medians.
        System.out.println("| over the floor, this run | medians' difference, ms "
                + "| median of each round's difference, ms | its 95 % interval, ms |");
        System.out.println("| --- | --- | --- | --- |");
        for (Startup.Variant v : variants) {
            Startup.Variant floor = floorOf(v);
            if (floor != null && walls.containsKey(floor)) {
                incrementRow(v, floor, walls.get(v), walls.get(floor), "%+.0f");
            }
        }
        System.out.println();
        System.out.println("| `detect()` over the JDK's service scan, this run | medians' difference, ms "
                + "| median of each round's difference, ms | its 95 % interval, ms |");
        System.out.println("| --- | --- | --- | --- |");
        for (Startup.Variant v : variants) {
            Startup.Variant scan = scanOf(v);
            if (scan != null && calls.containsKey(v) && calls.containsKey(scan)) {
                incrementRow(v, scan, calls.get(v), calls.get(scan), "%+.1f");
            }
        }
        System.out.println();
        System.out.println("| ratio, this run | medians' ratio | median of each round's ratio | its 95 % interval |");
        System.out.println("| --- | --- | --- | --- |");
        for (Startup.Variant v : variants) {
            for (Startup.Variant peer : peersOf(v)) {
                ratio(walls, v, peer);
            }
        }
        System.out.println();
        accountTables(variants, costs);
    }

    /**
     * Writes the variant's class-data archive with one untimed run, and names it for the runs after: an application
     * archive of everything the run loads ({@code -XX:ArchiveClassesAtExit}), or a static one of the JDK's default
     * class list and the classes of wif4j the variant loads ({@code -Xshare:dump}).
     *
     * @param wif4jOnly whether the archive holds the JDK's default classes and wif4j's only
     * @return the JVM option that maps the archive
     */
    private static List<String> archive(Startup startup, Startup.Variant v, boolean wif4jOnly) {
        Path archive = startup.workFile("cds-" + v + ".jsa");
        try {
            Files.deleteIfExists(archive);
            startup.run(v, wif4jOnly ? List.of("-Xshare:dump", "-XX:SharedClassListFile=" + wif4jClassList(startup, v),
                    "-XX:SharedArchiveFile=" + archive) : List.of("-XX:ArchiveClassesAtExit=" + archive));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!Files.isRegularFile(archive)) {
            throw new IllegalStateException(v + " wrote no class-data archive at " + archive);
        }
        return List.of("-XX:SharedArchiveFile=" + archive);
    }

    /**
     * Writes the class list of {@code --cds=wif4j}: the JDK's default one and the classes of wif4j the variant loads,
     * found by one logged run.
     *
     * @return the list's file
     */
    private static Path wif4jClassList(Startup startup, Startup.Variant v) throws IOException {
        Path log = startup.workFile("cds-" + v + ".log");
        Path list = startup.workFile("cds-" + v + ".classlist");
        startup.run(v, List.of("-Xlog:class+load=info:file=" + log));
        List<String> classes = new ArrayList<>(Files.readAllLines(jdkClassList()).stream()
                .filter(l -> !l.startsWith("#")).toList());
        // Not the probe's own classes (the floor's probe is in the same package), and no hidden class: none can be
        // named in a class list.
        loadedClasses(log).stream().filter(c -> c.startsWith("dev.wif4j.")
                && !c.startsWith("dev.wif4j.benchmarks.") && !c.contains("$$Lambda"))
                .map(c -> c.replace('.', '/')).forEach(classes::add);
        return Files.write(list, classes);
    }

    /** The default class list of the JDK the children run on (theirs is this JVM's own). */
    private static Path jdkClassList() {
        Path java = Path.of(ProcessHandle.current().info().command().orElseThrow(
                () -> new IllegalStateException("this JVM's command is unknown")));
        return java.getParent().getParent().resolve("lib").resolve("classlist");
    }

    /**
     * What the runs cost besides wall-clock time (medians of {@link #ACCOUNT_ROUNDS} runs with the agent), and each
     * variant's increments over its floor: where a wall-clock increment comes from.
     */
    private static void accountTables(List<Startup.Variant> variants,
            Map<Startup.Variant, List<ExitAccount.Costs>> costs) {
        Map<Startup.Variant, double[]> medians = new EnumMap<>(Startup.Variant.class);
        costs.forEach((v, runs) -> medians.put(v, medianCosts(runs)));
        System.out.printf("| what each run cost (median of %d runs with ExitAccount) | CPU ms, every thread "
                + "| of which the JIT compiler threads | young collections | their pauses, ms | heap allocated, KB |%n",
                ACCOUNT_ROUNDS);
        System.out.println("| --- | --- | --- | --- | --- | --- |");
        for (Startup.Variant v : variants) {
            if (medians.containsKey(v)) {
                double[] m = medians.get(v);
                System.out.printf("| %s | %.0f | %.0f | %.0f | %.0f | %,.0f |%n", v, m[0], m[1], m[2], m[3], m[4]);
            }
        }
        System.out.println();
        System.out.println("| over the floor, medians' difference | CPU ms | JIT threads' CPU ms | young collections "
                + "| pauses, ms | heap allocated, KB |");
        System.out.println("| --- | --- | --- | --- | --- | --- |");
        for (Startup.Variant v : variants) {
            Startup.Variant floor = floorOf(v);
            if (floor != null && medians.containsKey(v) && medians.containsKey(floor)) {
                double[] a = medians.get(v);
                double[] b = medians.get(floor);
                System.out.printf("| %s − %s | %+.0f | %+.0f | %+.0f | %+.0f | %+,.0f |%n", v, floor, a[0] - b[0],
                        a[1] - b[1], a[2] - b[2], a[3] - b[3], a[4] - b[4]);
            }
        }
    }

    /** The median of each of a variant's costs, in {@link ExitAccount.Costs}' order. */
    static double[] medianCosts(List<ExitAccount.Costs> runs) {
        return new double[] {
            median(runs.stream().map(ExitAccount.Costs::cpuMillis).toList()),
            median(runs.stream().map(ExitAccount.Costs::jitMillis).toList()),
            median(runs.stream().map(ExitAccount.Costs::youngGcs).toList()),
            median(runs.stream().map(ExitAccount.Costs::gcMillis).toList()),
            median(runs.stream().map(ExitAccount.Costs::allocatedKb).toList()),
        };
    }

    /**
     * Prints one row of an increment table: {@code v − base} as the difference of the medians, the median of each
     * round's difference, and that median's 95 % interval.
     *
     * @param number the format of one figure in milliseconds
     */
    private static void incrementRow(Startup.Variant v, Startup.Variant base, List<Long> a, List<Long> b,
            String number) {
        List<Long> differences = differences(a, b);
        System.out.printf("| %s − %s | " + number + " | " + number + " | %s |%n", v, base,
                (median(a) - median(b)) / 1e6, median(differences) / 1e6, interval(differences, number, 1e6));
    }

    /**
     * The 95 % interval of the values' median as table text.
     *
     * @param number the format of one end, after dividing by {@code unit}
     */
    private static String interval(List<Long> values, String number, double unit) {
        long[] interval = medianInterval(values);
        return interval == null ? "too few rounds"
                : String.format(number + " to " + number, interval[0] / unit, interval[1] / unit);
    }

    /** The peers issue 17 measures a variant against: the same work done by the library wif4j is compared with. */
    static List<Startup.Variant> peersOf(Startup.Variant variant) {
        return switch (variant) {
            case DETECT_ALL_PROVIDERS -> List.of(Startup.Variant.GOOGLE_ADC, Startup.Variant.AWS_DEFAULT_CHAIN);
            case DETECT_ALL_PROVIDERS_NO_HOSTS, DETECT_CORE -> List.of(Startup.Variant.GOOGLE_ADC);
            case MESSAGES_CORE_HTTPS, MESSAGES_SHARED_CLIENT_HTTPS, RAW_JDK_HTTPS, FLOOR_HTTPS, OFFICIAL_WIF4J_HTTPS ->
                    List.of(Startup.Variant.OFFICIAL_HTTPS);
            case MESSAGES_CORE_HTTP, MESSAGES_SHARED_CLIENT_HTTP, RAW_JDK_HTTP, FLOOR_HTTP, OFFICIAL_WIF4J_HTTP ->
                    List.of(Startup.Variant.OFFICIAL_HTTP);
            default -> List.of();
        };
    }

    /**
     * What a variant's increment is read against (issue 32): the same application without wif4j, or for the
     * official client with wif4j, the official client alone.
     */
    static Startup.Variant floorOf(Startup.Variant variant) {
        return switch (variant) {
            case MESSAGES_CORE_HTTPS, MESSAGES_SHARED_CLIENT_HTTPS, RAW_JDK_HTTPS, EXCHANGE_FLOOR_HTTPS ->
                    Startup.Variant.FLOOR_HTTPS;
            case MESSAGES_CORE_HTTP, MESSAGES_SHARED_CLIENT_HTTP, RAW_JDK_HTTP, EXCHANGE_FLOOR_HTTP ->
                    Startup.Variant.FLOOR_HTTP;
            case MAPPER_FIRST_SHARED_CLIENT_HTTPS -> Startup.Variant.MAPPER_FIRST_FLOOR_HTTPS;
            case OFFICIAL_WIF4J_HTTPS -> Startup.Variant.OFFICIAL_HTTPS;
            case OFFICIAL_WIF4J_HTTP -> Startup.Variant.OFFICIAL_HTTP;
            default -> null;
        };
    }

    /** What a detection variant's {@code detect()} is read against: the JDK's service scan on its class path. */
    static Startup.Variant scanOf(Startup.Variant variant) {
        return switch (variant) {
            case DETECT_ALL_PROVIDERS, DETECT_ALL_PROVIDERS_NO_HOSTS -> Startup.Variant.SERVICE_SCAN_ALL_PROVIDERS;
            case DETECT_CORE -> Startup.Variant.SERVICE_SCAN_CORE;
            default -> null;
        };
    }

    /** {@code a[i] - b[i]}, round by round: the rounds' paired differences. */
    static List<Long> differences(List<Long> a, List<Long> b) {
        List<Long> differences = new ArrayList<>();
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            differences.add(a.get(i) - b.get(i));
        }
        return differences;
    }

    /**
     * A 95 % interval for the median, free of any assumption on how the values are spread: the k-th smallest and
     * the k-th largest value, for the largest k that leaves at most 2.5 % on each side (the number of values below
     * the median is binomial with p = 1/2).
     *
     * @param values the rounds' values
     * @return the interval's ends, or {@code null} below 6 values, where no such interval reaches 95 %
     */
    static long[] medianInterval(List<Long> values) {
        int n = values.size();
        // P(X < k) for X ~ Binomial(n, 1/2), summed term by term in logarithms so that large n cannot overflow.
        int k = 0;
        double below = 0;
        double logHalfPowN = n * Math.log(0.5);
        double logChoose = 0; // log C(n, 0)
        for (int i = 0; i < n; i++) {
            double next = below + Math.exp(logChoose + logHalfPowN); // P(X < i + 1)
            if (next > 0.025) {
                break;
            }
            below = next;
            k = i + 1;
            logChoose += Math.log(n - i) - Math.log(i + 1.0);
        }
        if (k == 0) {
            return null;
        }
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return new long[] {sorted.get(k - 1), sorted.get(n - k)};
    }

    private static void ratio(Map<Startup.Variant, List<Long>> walls, Startup.Variant a, Startup.Variant b) {
        if (walls.containsKey(a) && walls.containsKey(b)) {
            List<Long> x = walls.get(a);
            List<Long> y = walls.get(b);
            List<Long> permille = new ArrayList<>();
            for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
                permille.add(Math.round(1000.0 * x.get(i) / y.get(i)));
            }
            System.out.printf("| %s / %s | %.2f× | %.3f× | %s |%n", a, b, median(x) / median(y), median(permille) / 1000,
                    interval(permille, "%.3f×", 1000.0));
        }
    }

    /** Counts the classes a {@code -Xlog:class+load} file names, in all and from the packages that matter here. */
    static String classCounts(Path log) {
        try {
            List<String> loaded = loadedClasses(log);
            return String.format("%,d (%d / %d / %d / %d)", loaded.size(), count(loaded, "jdk.internal.net.http."),
                    count(loaded, "sun.security.ssl."), count(loaded, "okhttp3."),
                    count(loaded, "com.fasterxml.jackson.databind."));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The names of the classes a {@code -Xlog:class+load} log shows, in the order they were loaded. */
    static List<String> loadedClasses(Path log) throws IOException {
        return Files.readAllLines(log).stream().filter(l -> l.contains("[class,load"))
                .map(l -> l.replaceFirst(".*\\[class,load\\s*\\] ", "")).map(l -> l.split(" ", 2)[0]).toList();
    }

    private static long count(List<String> loaded, String prefix) {
        return loaded.stream().filter(c -> c.startsWith(prefix)).count();
    }

    static double median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }
}
