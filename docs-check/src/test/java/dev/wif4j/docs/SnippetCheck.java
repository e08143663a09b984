package dev.wif4j.docs;

import com.sun.source.util.JavacTask;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Every ```java block of the Markdown compiles against the published modules, in one compiler run.
 *
 * <p>The convention (CONTRIBUTING.md will carry it):
 * <ul>
 *   <li>Every snippet sees the imports in {@link #IMPORTS} (wif4j's packages, java.net.http, java.util,
 *       the official client, the Spring annotations, Spring AI's ChatClient and LangChain4j's Anthropic models); its own {@code import} lines
 *       are added to them.</li>
 *   <li>A block that declares a top-level type (a line starting with {@code class}, {@code record},
 *       {@code interface}, {@code enum}, modifiers or annotations allowed) or a {@code package} is compiled as
 *       a source file of its own.</li>
 *   <li>A block whose first line of code starts with an annotation or {@code public}/{@code private}/
 *       {@code protected}/{@code static} holds class members: it is compiled as the body of a class.</li>
 *   <li>Any other block holds statements: it is compiled as the body of a method that may throw
 *       {@code Exception}. Declare what it uses (a client, a URI): a reader copies the snippet whole.</li>
 *   <li>Deprecated API fails the check, as it would fail wif4j's own {@code -Werror} build.</li>
 *   <li>Deliberate pseudo-code is opted out with {@code <!-- not compiled: reason -->} on the line before
 *       the fence (blank lines between allowed); the check lists every such block with its reason.</li>
 * </ul>
 * Each snippet is compiled in a package of its own, so snippets may reuse class names.
 */
final class SnippetCheck {
    static final List<String> IMPORTS = List.of(
            "java.io.*", "java.net.*", "java.net.http.*", "java.net.http.HttpRequest.BodyPublishers",
            "java.net.http.HttpResponse.BodyHandlers", "java.nio.file.*", "java.time.*", "java.util.*",
            "dev.wif4j.*", "dev.wif4j.spi.*", "dev.wif4j.spi.support.*", "dev.wif4j.anthropic.*", "dev.wif4j.spring.*",
            "dev.wif4j.testkit.*", "com.anthropic.client.*", "com.anthropic.client.okhttp.*",
            "com.anthropic.models.messages.*", "org.springframework.ai.chat.client.*",
            "org.springframework.web.bind.annotation.*", "org.springframework.context.annotation.*",
            "org.springframework.boot.autoconfigure.*", "dev.wif4j.langchain4j.*", "dev.langchain4j.model.chat.*",
            "dev.langchain4j.model.anthropic.*");
    private static final Pattern TYPE = Pattern.compile(
            "^(@[\\w.]+(\\([^)]*\\))?\\s+)*((public|protected|private|abstract|final|sealed|non-sealed|static|strictfp)\\s+)*"
                    + "(class|interface|enum|record|@interface)\\s+(\\w+).*");
    private static final Pattern PUBLIC_TYPE = Pattern.compile(
            "^(@[\\w.]+(\\([^)]*\\))?\\s+)*public\\s+((abstract|final|sealed|non-sealed|strictfp)\\s+)*"
                    + "(class|interface|enum|record|@interface)\\s+(\\w+).*");
    private static final Pattern MEMBER = Pattern.compile("^(@|(public|private|protected|static)\\s).*");

    /** What the check found: the problems ("file:line: what") and the blocks opted out ("file:line: reason"). */
    record Result(List<String> problems, List<String> skipped, int compiled) {}

    private final Path root;
    private final String classPath;

    SnippetCheck(Path root, String classPath) {
        this.root = root.toAbsolutePath().normalize();
        this.classPath = classPath;
    }

    /** The class path Maven wrote for this module (target/snippets.classpath, every published module). */
    static String mavenClassPath() {
        Path file = Path.of("target", "snippets.classpath");
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("run through Maven: " + file + " is written by maven-dependency-plugin", e);
        }
    }

    Result check(List<Path> files) {
        List<String> skipped = new ArrayList<>();
        List<Source> sources = new ArrayList<>();
        for (Path file : files) {
            Markdown md = Markdown.read(root, file.toAbsolutePath().normalize());
            for (Markdown.Block block : md.blocks) {
                if (!block.language().equals("java")) {
                    continue;
                }
                if (block.notCompiled() != null) {
                    skipped.add(md.relative + ":" + block.fenceLine() + ": not compiled: " + block.notCompiled());
                    continue;
                }
                sources.add(wrap(md.relative, block, sources.size() + 1));
            }
        }
        List<String> problems = new ArrayList<>();
        if (sources.isEmpty()) {
            return new Result(problems, skipped, 0);
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager manager = compiler.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            List<String> options = List.of("--release", "17", "-proc:none", "-Xlint:deprecation,removal",
                    "-classpath", classPath);
            JavacTask task = (JavacTask) compiler.getTask(null, manager, diagnostics, options, null, sources);
            task.analyze();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<URI, Source> byUri = new HashMap<>();
        sources.forEach(s -> byUri.put(s.toUri(), s));
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.NOTE || d.getKind() == Diagnostic.Kind.OTHER) {
                continue;
            }
            Source s = d.getSource() == null ? null : byUri.get(d.getSource().toUri());
            // javac's "cannot find symbol" names the symbol on its second line; its "location:" is the wrapper.
            String message = String.join("; ", d.getMessage(Locale.ROOT).lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("location:")).toList()).replaceAll("\\s+", " ");
            if (s == null) {
                problems.add("(no file): " + message);
            } else {
                problems.add(s.origin + ":" + s.markdownLine((int) d.getLineNumber()) + ": " + message
                        + (d.getKind() == Diagnostic.Kind.ERROR ? "" : " (a warning; snippets compile without warnings)"));
            }
        }
        return new Result(problems, skipped, sources.size());
    }

    /** One snippet as a Java source, with each of its lines' Markdown line number. */
    private static Source wrap(String origin, Markdown.Block block, int n) {
        List<String> code = block.lines();
        List<Integer> numbers = block.lineNumbers();
        String pkg = "snippets.s" + n;
        boolean unit = false;
        String publicType = null;
        int firstCode = -1;
        int importsEnd = 0;
        for (int i = 0; i < code.size(); i++) {
            String line = code.get(i);
            if (line.startsWith("package ")) {
                unit = true;
            }
            Matcher type = TYPE.matcher(line);
            if (type.matches()) {
                unit = true;
            }
            Matcher pub = PUBLIC_TYPE.matcher(line);
            if (pub.matches() && publicType == null) {
                publicType = pub.group(6);
            }
            String s = line.strip();
            if (firstCode < 0 && !s.isEmpty() && !s.startsWith("//") && !s.startsWith("/*") && !s.startsWith("*")) {
                if (s.startsWith("import ")) {
                    importsEnd = i + 1;
                } else {
                    firstCode = i;
                }
            }
        }
        Source src = new Source(origin, pkg, unit && publicType != null ? publicType : "Snippet", block.fenceLine());
        int packageAt = -1;
        if (unit) {
            for (int i = 0; i < code.size(); i++) {
                if (code.get(i).startsWith("package ")) {
                    packageAt = i;
                    src.add(code.get(i), numbers.get(i));
                }
            }
        }
        if (packageAt < 0) {
            src.add("package " + pkg + ";", block.fenceLine());
        }
        for (String imp : IMPORTS) {
            src.add("import " + imp + ";", block.fenceLine());
        }
        if (unit) {
            for (int i = 0; i < code.size(); i++) {
                src.add(i == packageAt ? "" : code.get(i), numbers.get(i));
            }
            return src;
        }
        for (int i = 0; i < importsEnd; i++) {
            src.add(code.get(i), numbers.get(i));
        }
        boolean members = firstCode >= 0 && MEMBER.matcher(code.get(firstCode).strip()).matches();
        src.add(members ? "class Snippet {" : "class Snippet { void snippet() throws Exception {", block.fenceLine());
        for (int i = importsEnd; i < code.size(); i++) {
            src.add(code.get(i), numbers.get(i));
        }
        src.add(members ? "}" : "}}", block.fenceLine() + code.size() + 1);
        return src;
    }

    /** An in-memory source file that remembers where each of its lines came from. */
    private static final class Source extends SimpleJavaFileObject {
        final String origin;
        final int fenceLine;
        final StringBuilder text = new StringBuilder();
        final List<Integer> lines = new ArrayList<>();

        Source(String origin, String pkg, String type, int fenceLine) {
            super(URI.create("string:///" + pkg.replace('.', '/') + "/" + type + ".java"), Kind.SOURCE);
            this.origin = origin;
            this.fenceLine = fenceLine;
        }

        void add(String line, int markdownLine) {
            text.append(line).append('\n');
            lines.add(markdownLine);
        }

        int markdownLine(int javaLine) {
            return javaLine >= 1 && javaLine <= lines.size() ? lines.get(javaLine - 1) : fenceLine;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return text;
        }
    }
}
