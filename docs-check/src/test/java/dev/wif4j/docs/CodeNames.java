package dev.wif4j.docs;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreeScanner;
import com.sun.source.util.Trees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.lang.model.element.Modifier;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * The WIF4J_*, ANTHROPIC_* and wif4j.* names main code reads, found in its sources the way wif4j derives them:
 * <ul>
 *   <li>{@code ProviderSettings.of(ctx, ID).get("token.path")} (and {@code secret}, {@code anySet},
 *       {@code audience()}) is the provider setting {@code <id>.<key>}, read as {@code wif4j.<id>.<key>} and
 *       {@code WIF4J_<ID>_<KEY>} ({@code DetectionContext.environmentName});</li>
 *   <li>{@code globalSetting("audience")} is {@code wif4j.audience} and {@code WIF4J_AUDIENCE};</li>
 *   <li>{@code env(..)}/{@code getenv(..)}/{@code systemProperty(..)}/{@code getProperty(..)}/
 *       {@code containsProperty(..)} with a constant name, and every string constant that is one whole name;</li>
 *   <li>the setters of a {@code @ConfigurationProperties(prefix = "wif4j")} class, in Spring's dashed form
 *       ({@code setFederationRuleId} is {@code wif4j.federation-rule-id}; a Map setter takes any sub-key);</li>
 *   <li>the variables a launcher script at a module's root ({@code #!}) reads.</li>
 * </ul>
 * Constants are followed within the module (a field {@code static final String ID = "k8s"}, {@code CiSystem.ID}).
 */
final class CodeNames {
    static final Pattern ENV_NAME = Pattern.compile("(WIF4J|ANTHROPIC)_[A-Z0-9_]*[A-Z0-9]");
    static final Pattern PROPERTY_NAME = Pattern.compile("wif4j\\.[a-z0-9_-]+(\\.[a-z0-9_-]+)*");
    private static final Pattern SCRIPT_VARIABLE = Pattern.compile("\\$\\{?((?:WIF4J|ANTHROPIC)_[A-Z0-9_]+)");

    /** A setting main code reads: its names (variable, property) and where it is read. */
    record Read(String kind, List<String> names, String where) {}

    final Map<String, Read> reads = new LinkedHashMap<>();
    /** Spring Map properties: any sub-key is read. */
    final Set<String> mapProperties = new TreeSet<>();
    final List<String> problems = new ArrayList<>();

    /** Scans these modules' src/main/java (and launcher scripts at their roots), parsed in one compiler run. */
    static CodeNames scan(Path root, List<String> modules) {
        CodeNames names = new CodeNames();
        Map<String, List<Path>> sources = new LinkedHashMap<>();
        for (String module : modules) {
            names.scanScripts(root, module);
            Path dir = root.resolve(module).resolve("src/main/java");
            if (Files.isDirectory(dir)) {
                try (Stream<Path> all = Files.walk(dir)) {
                    sources.put(module, all.filter(p -> p.toString().endsWith(".java")).sorted().toList());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        try (StandardJavaFileManager manager = compiler.getStandardFileManager(null, Locale.ROOT, null)) {
            List<Path> all = sources.values().stream().flatMap(List::stream).toList();
            JavacTask task = (JavacTask) compiler.getTask(null, manager, d -> { }, List.of("-proc:none"), null,
                    manager.getJavaFileObjectsFromPaths(all));
            Map<Path, CompilationUnitTree> parsed = new HashMap<>();
            for (CompilationUnitTree unit : task.parse()) {
                parsed.put(Path.of(unit.getSourceFile().toUri()), unit);
            }
            SourcePositions positions = Trees.instance(task).getSourcePositions();
            for (List<Path> files : sources.values()) {
                names.scanModule(root, files.stream().map(parsed::get).toList(), positions);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    private void read(String kind, String where, String... names) {
        String key = String.join("|", names);
        reads.putIfAbsent(key, new Read(kind, List.of(names), where));
    }

    private void scanScripts(Path root, String module) {
        try (Stream<Path> top = Files.list(root.resolve(module))) {
            for (Path script : top.filter(Files::isRegularFile).toList()) {
                List<String> text;
                try {
                    text = Files.readAllLines(script);
                } catch (IOException | UncheckedIOException e) {
                    continue; // not text
                }
                if (text.isEmpty() || !text.get(0).startsWith("#!")) {
                    continue;
                }
                for (int i = 0; i < text.size(); i++) {
                    Matcher m = SCRIPT_VARIABLE.matcher(text.get(i));
                    while (m.find()) {
                        read("environment variable", module + "/" + script.getFileName() + ":" + (i + 1), m.group(1));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void scanModule(Path root, List<CompilationUnitTree> units, SourcePositions positions) {
        // Pass 1: the module's string constants, by class and by simple name.
        Map<String, Map<String, String>> constants = new HashMap<>();
        for (int round = 0; round < 3; round++) {
            for (CompilationUnitTree unit : units) {
                new TreeScanner<Void, String>() {
                    @Override
                    public Void visitClass(ClassTree node, String outer) {
                        return super.visitClass(node, node.getSimpleName().toString());
                    }

                    @Override
                    public Void visitVariable(VariableTree node, String owner) {
                        if (owner != null && node.getInitializer() != null
                                && node.getModifiers().getFlags().containsAll(Set.of(Modifier.STATIC, Modifier.FINAL))
                                && node.getType().toString().equals("String")) {
                            String v = constant(node.getInitializer(), owner, constants);
                            if (v != null) {
                                constants.computeIfAbsent(owner, k -> new HashMap<>()).put(node.getName().toString(), v);
                            }
                        }
                        return null;
                    }
                }.scan(unit, null);
            }
        }
        // The provider ids this module names in ProviderSettings.of(ctx, ID).
        Set<String> moduleIds = new TreeSet<>();
        for (CompilationUnitTree unit : units) {
            new TreeScanner<Void, String>() {
                @Override
                public Void visitClass(ClassTree node, String outer) {
                    return super.visitClass(node, node.getSimpleName().toString());
                }

                @Override
                public Void visitMethodInvocation(MethodInvocationTree node, String owner) {
                    String id = providerOf(node, owner, constants);
                    if (id != null) {
                        moduleIds.add(id);
                    }
                    return super.visitMethodInvocation(node, owner);
                }
            }.scan(unit, null);
        }
        for (CompilationUnitTree unit : units) {
            scanUnit(root, unit, positions, constants, moduleIds);
        }
    }

    private void scanUnit(Path root, CompilationUnitTree unit, SourcePositions positions,
            Map<String, Map<String, String>> constants, Set<String> moduleIds) {
        String file = root.relativize(Path.of(unit.getSourceFile().toUri())).toString().replace('\\', '/');
        // Names declared as ProviderSettings in this file, with the provider id when their initialiser tells it.
        Map<String, String> settingsVariables = new HashMap<>();
        new TreeScanner<Void, String>() {
            @Override
            public Void visitClass(ClassTree node, String outer) {
                return super.visitClass(node, node.getSimpleName().toString());
            }

            @Override
            public Void visitVariable(VariableTree node, String owner) {
                if (node.getType() != null && node.getType().toString().endsWith("ProviderSettings")) {
                    String id = node.getInitializer() instanceof MethodInvocationTree m ? providerOf(m, owner, constants) : null;
                    settingsVariables.merge(node.getName().toString(), id == null ? "" : id, (a, b) -> a.isEmpty() ? b : a);
                }
                return super.visitVariable(node, owner);
            }

            @Override
            public Void visitAssignment(AssignmentTree node, String owner) {
                if (node.getExpression() instanceof MethodInvocationTree m) {
                    String id = providerOf(m, owner, constants);
                    if (id != null) {
                        settingsVariables.put(simpleName(node.getVariable()), id);
                    }
                }
                return super.visitAssignment(node, owner);
            }
        }.scan(unit, null);

        new TreeScanner<Void, String>() {
            private String where(Tree tree) {
                return file + ":" + unit.getLineMap().getLineNumber(positions.getStartPosition(unit, tree));
            }

            @Override
            public Void visitClass(ClassTree node, String outer) {
                String owner = node.getSimpleName().toString();
                for (AnnotationTree annotation : node.getModifiers().getAnnotations()) {
                    if (annotation.getAnnotationType().toString().endsWith("ConfigurationProperties")) {
                        String prefix = null;
                        for (ExpressionTree arg : annotation.getArguments()) {
                            ExpressionTree value = arg instanceof AssignmentTree a ? a.getExpression() : arg;
                            prefix = constant(value, owner, constants);
                        }
                        if (prefix != null) {
                            springProperties(node, prefix);
                        }
                    }
                }
                return super.visitClass(node, owner);
            }

            private void springProperties(ClassTree node, String prefix) {
                for (Tree member : node.getMembers()) {
                    if (member instanceof MethodTree m && m.getName().toString().matches("set[A-Z]\\w*")
                            && m.getParameters().size() == 1) {
                        String property = prefix + "." + m.getName().toString().substring(3)
                                .replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
                        if (m.getParameters().get(0).getType().toString().startsWith("Map")) {
                            mapProperties.add(property);
                        }
                        read("Spring property", where(m), property);
                    }
                }
            }

            @Override
            public Void visitLiteral(LiteralTree node, String owner) {
                if (node.getValue() instanceof String s) {
                    if (ENV_NAME.matcher(s).matches()) {
                        read("environment variable", where(node), s);
                    } else if (PROPERTY_NAME.matcher(s).matches()) {
                        read("property", where(node), s);
                    }
                }
                return null;
            }

            @Override
            public Void visitMethodInvocation(MethodInvocationTree node, String owner) {
                String method = simpleName(node.getMethodSelect());
                List<? extends ExpressionTree> args = node.getArguments();
                switch (method) {
                    case "env", "getenv", "systemProperty", "getProperty", "containsProperty" -> {
                        String name = args.size() == 1 ? constant(args.get(0), owner, constants) : null;
                        if (name != null && ENV_NAME.matcher(name).matches()) {
                            read("environment variable", where(node), name);
                        } else if (name != null && PROPERTY_NAME.matcher(name).matches()) {
                            read("property", where(node), name);
                        }
                    }
                    case "globalSetting" -> {
                        String key = args.size() == 1 ? constant(args.get(0), owner, constants) : null;
                        if (key != null) {
                            read("setting", where(node), environmentName(key), "wif4j." + key);
                        }
                    }
                    case "get", "secret", "anySet", "audience" -> providerSetting(node, method, owner);
                    default -> { }
                }
                return super.visitMethodInvocation(node, owner);
            }

            private void providerSetting(MethodInvocationTree node, String method, String owner) {
                if (!(node.getMethodSelect() instanceof MemberSelectTree select)) {
                    return;
                }
                ExpressionTree receiver = select.getExpression();
                String id;
                if (receiver instanceof MethodInvocationTree m && simpleName(m.getMethodSelect()).equals("of")
                        && m.getMethodSelect() instanceof MemberSelectTree of
                        && of.getExpression().toString().endsWith("ProviderSettings")) {
                    id = providerOf(m, owner, constants);
                    if (id == null) {
                        return; // generic code for whichever provider was chosen (Bootstrap)
                    }
                } else if (settingsVariables.containsKey(simpleName(receiver))
                        && (receiver instanceof IdentifierTree || receiver instanceof MemberSelectTree ms
                                && ms.getExpression().toString().equals("this"))) {
                    id = settingsVariables.get(simpleName(receiver));
                    if (id.isEmpty()) {
                        if (moduleIds.size() != 1) {
                            problems.add(where(node) + ": cannot tell which provider's settings " + receiver
                                    + " holds (this module names " + moduleIds + ")");
                            return;
                        }
                        id = moduleIds.iterator().next();
                    }
                } else {
                    return;
                }
                List<String> keys = new ArrayList<>();
                if (method.equals("audience")) {
                    keys.add("audience");
                } else {
                    for (ExpressionTree arg : node.getArguments()) {
                        String key = constant(arg, owner, constants);
                        if (key == null) {
                            problems.add(where(node) + ": the setting key " + arg + " is not a constant, so the check "
                                    + "cannot tell its name");
                        } else {
                            keys.add(key);
                        }
                    }
                }
                for (String key : keys) {
                    String qualified = id + "." + key;
                    read("provider setting " + qualified, where(node), environmentName(qualified), "wif4j." + qualified);
                }
            }
        }.scan(unit, null);
    }

    /** As DetectionContext.environmentName. */
    static String environmentName(String key) {
        return "WIF4J_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static String providerOf(MethodInvocationTree m, String owner, Map<String, Map<String, String>> constants) {
        if (m.getMethodSelect() instanceof MemberSelectTree of && of.getIdentifier().contentEquals("of")
                && of.getExpression().toString().endsWith("ProviderSettings") && m.getArguments().size() == 2) {
            return constant(m.getArguments().get(1), owner, constants);
        }
        return null;
    }

    private static String simpleName(ExpressionTree tree) {
        if (tree instanceof IdentifierTree id) {
            return id.getName().toString();
        }
        if (tree instanceof MemberSelectTree select) {
            return select.getIdentifier().toString();
        }
        return "";
    }

    /** The value of a constant String expression, or null. */
    private static String constant(ExpressionTree tree, String owner, Map<String, Map<String, String>> constants) {
        if (tree instanceof LiteralTree literal) {
            return literal.getValue() instanceof String s ? s : null;
        }
        if (tree instanceof ParenthesizedTree p) {
            return constant(p.getExpression(), owner, constants);
        }
        if (tree instanceof BinaryTree b && b.getKind() == Tree.Kind.PLUS) {
            String left = constant(b.getLeftOperand(), owner, constants);
            String right = constant(b.getRightOperand(), owner, constants);
            return left == null || right == null ? null : left + right;
        }
        if (tree instanceof IdentifierTree id) {
            String name = id.getName().toString();
            Map<String, String> own = constants.getOrDefault(owner, Map.of());
            if (own.containsKey(name)) {
                return own.get(name);
            }
            List<String> elsewhere = constants.values().stream().filter(c -> c.containsKey(name)).map(c -> c.get(name))
                    .distinct().toList();
            return elsewhere.size() == 1 ? elsewhere.get(0) : null;
        }
        if (tree instanceof MemberSelectTree select) {
            String type = simpleName(select.getExpression());
            return constants.getOrDefault(type, Map.of()).get(select.getIdentifier().toString());
        }
        return null;
    }
}
