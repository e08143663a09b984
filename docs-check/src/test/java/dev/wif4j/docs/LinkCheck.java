package dev.wif4j.docs;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every relative link and image in the Markdown resolves: {@code [x](path)} to a file or folder of the
 * repository, {@code [x](path#anchor)} and {@code [x](#anchor)} to a heading of a Markdown file (GitHub's
 * anchor of it). Links with a scheme (https:, mailto:) are not followed: the build is offline.
 */
final class LinkCheck {
    private static final Pattern INLINE = Pattern.compile("!?\\[(?:[^\\[\\]]|\\[[^\\]]*\\])*\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern REFERENCE = Pattern.compile("^ {0,3}\\[[^\\]]+\\]:\\s*<?(\\S+?)>?(\\s.*)?$");
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

    private final Path root;
    private final Map<Path, List<String>> anchors = new HashMap<>();

    LinkCheck(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The problems, each "file:line: what is wrong". */
    List<String> check(List<Path> files) {
        List<String> problems = new ArrayList<>();
        for (Path file : files) {
            Markdown md = Markdown.read(root, file.toAbsolutePath().normalize());
            for (int i = 0; i < md.lines.size(); i++) {
                if (md.inFence[i]) {
                    continue;
                }
                String line = Markdown.withoutCodeSpans(md.lines.get(i));
                Matcher m = INLINE.matcher(line);
                while (m.find()) {
                    checkTarget(md, i + 1, m.group(1), problems);
                }
                Matcher r = REFERENCE.matcher(line);
                if (r.matches()) {
                    checkTarget(md, i + 1, r.group(1), problems);
                }
            }
        }
        return problems;
    }

    private void checkTarget(Markdown md, int line, String target, List<String> problems) {
        if (SCHEME.matcher(target).find()) {
            return;
        }
        String where = md.relative + ":" + line + ": ";
        int hash = target.indexOf('#');
        String pathPart = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : URLDecoder.decode(target.substring(hash + 1), StandardCharsets.UTF_8);
        pathPart = URLDecoder.decode(pathPart.replace("+", "%2B"), StandardCharsets.UTF_8);
        Path resolved = pathPart.isEmpty() ? md.file
                : (pathPart.startsWith("/") ? root.resolve(pathPart.substring(1)) : md.file.getParent().resolve(pathPart))
                        .normalize();
        if (!resolved.startsWith(root)) {
            problems.add(where + "link " + target + " leaves the repository");
            return;
        }
        if (!Files.exists(resolved)) {
            problems.add(where + "link " + target + ": " + root.relativize(resolved).toString().replace('\\', '/')
                    + " does not exist");
            return;
        }
        if (anchor != null && resolved.toString().endsWith(".md") && Files.isRegularFile(resolved)) {
            List<String> known = anchors.computeIfAbsent(resolved, f -> Markdown.read(root, f).anchors());
            if (!known.contains(anchor)) {
                problems.add(where + "link " + target + ": " + root.relativize(resolved).toString().replace('\\', '/')
                        + " has no heading with the anchor #" + anchor);
            }
        }
    }
}
