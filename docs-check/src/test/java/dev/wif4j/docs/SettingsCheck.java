package dev.wif4j.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The settings are documented, both ways: every WIF4J_*, ANTHROPIC_* and wif4j.* name main code reads
 * ({@link CodeNames}) appears in the docs, and every such name the docs mention is read by main code.
 *
 * <p>A provider setting counts as documented when the docs name its variable ({@code WIF4J_K8S_TOKEN_PATH}),
 * its property ({@code wif4j.k8s.token.path}) or its key ({@code k8s.token.path}), or when a paragraph or table
 * names the provider's prefix ({@code WIF4J_K8S_…}, {@code WIF4J_AZURE_<KEY>}, {@code wif4j.azure.<key>}) and
 * the key in code ({@code `token.path`}). A prefix in the docs must start at least one name read.
 */
final class SettingsCheck {
    /**
     * Names the docs may mention that wif4j's main code never reads: read by the libraries around it.
     * <ul>
     *   <li>none today; ANTHROPIC_API_KEY and ANTHROPIC_AUTH_TOKEN, which the official SDKs read, are read by
     *       wif4j-core too (it warns when they are set).</li>
     * </ul>
     */
    static final Set<String> THIRD_PARTY = Set.of();
    private static final Pattern DOC_ENV = Pattern.compile("(?<![A-Za-z0-9_$])((?:WIF4J|ANTHROPIC)_[A-Z0-9_]*)(<[A-Za-z_]+>|…|\\*)?");
    private static final Pattern DOC_PROPERTY = Pattern.compile(
            "(?<![A-Za-z0-9_.$/{-])wif4j\\.([A-Za-z0-9_<>…*-]+(?:\\.[A-Za-z0-9_<>…*-]+)*)");
    private static final Set<String> FILE_EXTENSIONS = Set.of("jar", "jsa", "json", "yaml", "yml", "xml", "md",
            "properties", "sh", "txt", "classpath", "log");
    private static final Pattern CODE_SPAN = Pattern.compile("`([^`]+)`");
    private static final Pattern POM_PROPERTY = Pattern.compile("<(wif4j\\.[A-Za-z0-9_.-]+)>|\\$\\{(wif4j\\.[A-Za-z0-9_.-]+)}");

    /** One name in the docs: the name (or prefix), whether it is a prefix, where. */
    record Mention(String name, boolean prefix, String where) {}

    private final Path root;

    SettingsCheck(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The modules whose main code is read: the published ones and the examples a user copies. */
    static List<String> modules(Path root) {
        List<String> modules = new ArrayList<>();
        try {
            Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(Files.readString(root.resolve("pom.xml")));
            while (m.find()) {
                String module = m.group(1);
                String pom = Files.readString(root.resolve(module).resolve("pom.xml"));
                if (module.startsWith("examples/") || !pom.contains("<maven.deploy.skip>true</maven.deploy.skip>")) {
                    modules.add(module);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return modules;
    }

    /** The problems, each "file:line: what is wrong". */
    List<String> check(List<Path> docs, CodeNames code) {
        List<String> problems = new ArrayList<>(code.problems);
        List<Mention> mentions = new ArrayList<>();
        // Per paragraph or table: the prefixes it names and the code spans it holds.
        List<Set<String>> blockPrefixes = new ArrayList<>();
        List<Set<String>> blockSpans = new ArrayList<>();
        for (Path file : docs) {
            Markdown md = Markdown.read(root, file.toAbsolutePath().normalize());
            Set<String> prefixes = new TreeSet<>();
            Set<String> spans = new TreeSet<>();
            for (int i = 0; i <= md.lines.size(); i++) {
                String line = i < md.lines.size() ? md.lines.get(i) : "";
                if (line.isBlank()) {
                    if (!spans.isEmpty() || !prefixes.isEmpty()) {
                        blockPrefixes.add(prefixes);
                        blockSpans.add(spans);
                    }
                    prefixes = new TreeSet<>();
                    spans = new TreeSet<>();
                    continue;
                }
                String where = md.relative + ":" + (i + 1);
                Matcher env = DOC_ENV.matcher(line);
                while (env.find()) {
                    String name = env.group(1);
                    boolean prefix = env.group(2) != null || name.endsWith("_");
                    mentions.add(new Mention(name, prefix, where));
                    if (prefix) {
                        prefixes.add(name);
                    }
                }
                Matcher property = DOC_PROPERTY.matcher(line);
                while (property.find()) {
                    String name = "wif4j." + property.group(1).replaceAll("\\.+$", "");
                    String last = name.substring(name.lastIndexOf('.') + 1);
                    if (FILE_EXTENSIONS.contains(last)) {
                        continue;
                    }
                    int open = indexOfAny(name, "<", "…", "*");
                    boolean prefix = open >= 0;
                    String shown = prefix ? name.substring(0, open) : name;
                    mentions.add(new Mention(shown, prefix, where));
                    if (prefix) {
                        prefixes.add(shown);
                    }
                }
                Matcher span = CODE_SPAN.matcher(line);
                while (span.find()) {
                    spans.add(span.group(1));
                }
                if (md.inFence[i]) {
                    spans.add(line.strip());
                }
            }
        }
        Set<String> buildProperties = buildProperties();
        Set<String> read = new TreeSet<>(THIRD_PARTY);
        code.reads.values().forEach(r -> read.addAll(r.names()));
        Set<String> providerProperties = new TreeSet<>();
        code.reads.values().stream().filter(r -> r.kind().startsWith("provider setting "))
                .forEach(r -> providerProperties.addAll(r.names()));

        // Every name read is documented.
        for (CodeNames.Read r : code.reads.values()) {
            if (!documented(r, mentions, blockPrefixes, blockSpans, code)) {
                problems.add(r.where() + ": " + String.join(" / ", r.names()) + " (" + r.kind()
                        + ") is read here, but no doc names it");
            }
        }
        // Every name documented is read.
        for (Mention m : mentions) {
            boolean known;
            if (m.prefix()) {
                known = read.stream().anyMatch(n -> n.startsWith(m.name()))
                        || code.mapProperties.stream().anyMatch(p -> m.name().startsWith(p + "."));
            } else {
                // wif4j.<provider>.<key> with dashes for dots is the spelling of earlier releases, still read.
                known = read.contains(m.name()) || buildProperties.contains(m.name())
                        || m.name().contains("-") && providerProperties.contains(m.name().replace('-', '.'))
                        || code.mapProperties.stream().anyMatch(p -> m.name().startsWith(p + "."));
            }
            if (!known) {
                problems.add(m.where() + ": " + m.name() + (m.prefix() ? "… names no setting" : " is not read by any main code")
                        + " (not a setting wif4j reads; fix the name, or remove it)");
            }
        }
        return problems;
    }

    private static boolean documented(CodeNames.Read r, List<Mention> mentions, List<Set<String>> blockPrefixes,
            List<Set<String>> blockSpans, CodeNames code) {
        for (String name : r.names()) {
            for (Mention m : mentions) {
                if (!m.prefix() && (m.name().equals(name) || code.mapProperties.contains(name) && m.name().startsWith(name + "."))) {
                    return true;
                }
                if (m.prefix() && code.mapProperties.contains(name) && m.name().startsWith(name + ".")) {
                    return true;
                }
            }
        }
        if (r.kind().startsWith("provider setting ")) {
            String qualified = r.kind().substring("provider setting ".length());
            String id = qualified.substring(0, qualified.indexOf('.'));
            String key = qualified.substring(id.length() + 1);
            String envPrefix = CodeNames.environmentName(id) + "_";
            String propertyPrefix = "wif4j." + id + ".";
            for (int b = 0; b < blockSpans.size(); b++) {
                Set<String> spans = blockSpans.get(b);
                if (spans.contains(qualified)) {
                    return true;
                }
                boolean prefixed = blockPrefixes.get(b).stream().anyMatch(p -> p.equals(envPrefix)
                        || p.equals(envPrefix.substring(0, envPrefix.length() - 1)) || p.equals(propertyPrefix));
                if (prefixed && spans.contains(key)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** wif4j.* build properties of the poms (wif4j.fuzz.skip): the docs may name them. */
    private Set<String> buildProperties() {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> poms = Files.walk(root, 3)) {
            for (Path pom : poms.filter(p -> p.getFileName().toString().equals("pom.xml")).toList()) {
                Matcher m = POM_PROPERTY.matcher(Files.readString(pom));
                while (m.find()) {
                    names.add(m.group(1) != null ? m.group(1) : m.group(2));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    private static int indexOfAny(String s, String... parts) {
        int best = -1;
        for (String p : parts) {
            int i = s.indexOf(p);
            if (i >= 0 && (best < 0 || i < best)) {
                best = i;
            }
        }
        return best;
    }

}
