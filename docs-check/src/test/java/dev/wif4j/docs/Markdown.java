package dev.wif4j.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** One Markdown file, split the way the checks need it: fenced blocks, prose lines, headings. */
final class Markdown {
    private static final Pattern FENCE_OPEN = Pattern.compile("^( *)(```+|~~~+)\\s*([^\\s`]*)(.*)$");
    private static final Pattern HEADING = Pattern.compile("^ {0,3}#{1,6}\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern HTML_ANCHOR = Pattern.compile("<a\\s+(?:name|id)=\"([^\"]+)\"");
    private static final Pattern NOT_COMPILED = Pattern.compile("^\\s*<!--\\s*not compiled:\\s*(.*?)\\s*-->\\s*$");

    /** A fenced code block: its language, the fence's line, its lines (1-based numbers) and an opt-out reason. */
    record Block(String language, int fenceLine, List<String> lines, List<Integer> lineNumbers, String notCompiled) {}

    final Path file;
    final String relative;
    final List<String> lines;
    /** Per line: true inside a fence (fence lines included). */
    final boolean[] inFence;
    final List<Block> blocks = new ArrayList<>();

    private Markdown(Path root, Path file) {
        this.file = file;
        this.relative = root.relativize(file).toString().replace('\\', '/');
        try {
            this.lines = List.of(Files.readString(file, StandardCharsets.UTF_8).split("\n", -1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.inFence = new boolean[lines.size()];
        parseBlocks();
    }

    static Markdown read(Path root, Path file) {
        return new Markdown(root, file);
    }

    /**
     * The Markdown a user reads: every *.md at the root and in each module folder (one level down, and
     * examples/*), and docs/ whole; build output is skipped.
     */
    static List<Path> userDocs(Path root) {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> all = Files.walk(root, 3)) {
            all.filter(p -> p.toString().endsWith(".md") && Files.isRegularFile(p)).forEach(p -> {
                Path rel = root.relativize(p);
                String first = rel.getName(0).toString();
                if (first.startsWith(".") || rel.toString().contains("target")) {
                    return;
                }
                if (rel.getNameCount() <= 2 || first.equals("examples") || first.equals("docs")) {
                    files.add(p);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (Files.isDirectory(root.resolve("docs"))) {
            try (Stream<Path> deep = Files.walk(root.resolve("docs"))) {
                deep.filter(p -> p.toString().endsWith(".md") && !files.contains(p)).forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        files.sort(null);
        return files;
    }

    private void parseBlocks() {
        int i = 0;
        while (i < lines.size()) {
            Matcher open = FENCE_OPEN.matcher(lines.get(i));
            if (!open.matches()) {
                i++;
                continue;
            }
            String indent = open.group(1);
            String fence = open.group(2);
            String language = open.group(3).toLowerCase(Locale.ROOT);
            int start = i;
            inFence[i] = true;
            List<String> content = new ArrayList<>();
            List<Integer> numbers = new ArrayList<>();
            i++;
            while (i < lines.size()) {
                String line = lines.get(i);
                inFence[i] = true;
                String stripped = line.strip();
                if (stripped.startsWith(fence.substring(0, 3)) && stripped.chars().allMatch(c -> c == fence.charAt(0))
                        && stripped.length() >= fence.length()) {
                    break;
                }
                content.add(line.startsWith(indent) ? line.substring(indent.length()) : line.stripLeading());
                numbers.add(i + 1);
                i++;
            }
            i++;
            String reason = null;
            int before = start - 1;
            while (before >= 0 && lines.get(before).isBlank()) {
                before--;
            }
            if (before >= 0) {
                Matcher m = NOT_COMPILED.matcher(lines.get(before));
                if (m.matches()) {
                    reason = m.group(1).isEmpty() ? "(no reason given)" : m.group(1);
                }
            }
            blocks.add(new Block(language, start + 1, content, numbers, reason));
        }
    }

    /** The anchors GitHub gives this file's headings (and explicit HTML anchors). */
    List<String> anchors() {
        List<String> anchors = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher html = HTML_ANCHOR.matcher(lines.get(i));
            while (html.find()) {
                anchors.add(html.group(1));
            }
            if (inFence[i]) {
                continue;
            }
            Matcher h = HEADING.matcher(lines.get(i));
            if (h.matches()) {
                String slug = slug(h.group(1));
                int n = seen.merge(slug, 1, Integer::sum) - 1;
                anchors.add(n == 0 ? slug : slug + "-" + n);
            }
        }
        return anchors;
    }

    /**
     * GitHub's heading anchor: the rendered text (link targets, emphasis and code marks dropped), lower case,
     * punctuation other than '-' and '_' removed, each space a '-'.
     */
    static String slug(String heading) {
        String text = heading.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1").replaceAll("<[^>]+>", "");
        StringBuilder out = new StringBuilder();
        text.toLowerCase(Locale.ROOT).codePoints().forEach(c -> {
            if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                out.appendCodePoint(c);
            } else if (c == ' ') {
                out.append('-');
            }
        });
        return out.toString();
    }

    /** A prose line with its inline code spans blanked, so that text in code is not read as a link. */
    static String withoutCodeSpans(String line) {
        StringBuilder out = new StringBuilder(line);
        Matcher m = Pattern.compile("(`+)(.+?)\\1").matcher(line);
        while (m.find()) {
            for (int k = m.start(2); k < m.end(2); k++) {
                out.setCharAt(k, ' ');
            }
        }
        return out.toString();
    }
}
