package dev.wif4j.docs;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the checks run: the repository's root, found from the module's directory. */
final class Repository {
    private Repository() {}

    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.isRegularFile(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("core")))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("run from inside the wif4j repository");
        }
        return dir;
    }
}
