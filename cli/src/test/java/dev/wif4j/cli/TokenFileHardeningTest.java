package dev.wif4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.WorkloadIdentityException;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.GitHubActionsEmulator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** {@code token-file} against a hostile directory and careless {@code --out} values. */
@EnabledOnOs({OS.LINUX, OS.MAC})
class TokenFileHardeningTest {

    @TempDir
    Path dir;

    private static String failure(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // No identity provider in this world: a message about the target proves it was checked first.
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err), FakeDetectionContext.empty());
        assertEquals(1, code, err.toString());
        return err.toString();
    }

    @Test
    @DisplayName("a concurrent swapper of the temporary file never receives the token")
    void swappedTemporaryFileNeverReceivesTheToken() throws Exception {
        Path target = dir.resolve("token");
        Path stolen = dir.resolve("stolen");
        Files.writeString(stolen, "");
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger swaps = new AtomicInteger();
        Thread swapper = new Thread(() -> {
            while (running.get()) {
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, ".token.*.tmp")) {
                    for (Path temp : entries) {
                        if (!Files.isRegularFile(temp, LinkOption.NOFOLLOW_LINKS)) {
                            continue; // a link planted earlier
                        }
                        try {
                            Files.deleteIfExists(temp);
                            Files.createSymbolicLink(temp, stolen);
                            swaps.incrementAndGet();
                        } catch (IOException raced) {
                            // the writer renamed it first: try the next one
                        }
                    }
                } catch (IOException ignored) {
                    // the listing raced a rename
                }
            }
        });
        swapper.start();
        try {
            for (int i = 0; i < 300; i++) {
                try {
                    TokenFileCommand.write(target, "eyJ.secret-token-" + i + ".sig");
                } catch (WorkloadIdentityException expectedSometimes) {
                    // a swap can make a write fail; it must never make it leak
                }
            }
        } finally {
            running.set(false);
            swapper.join();
        }
        assertEquals("", Files.readString(stolen), "the token was written into the swapper's file");
        if (Files.isRegularFile(target) && !Files.isSymbolicLink(target)) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        }
        System.out.println("the swapper replaced " + swaps.get() + " of 300 temporary files with links");
    }

    @Test
    @DisplayName("a directory other users can write without the sticky bit is refused; with it, accepted")
    void sharedDirectoriesNeedTheStickyBit() throws Exception {
        Path shared = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        String err = failure("token-file", "--once", "--out", shared.resolve("token").toString());
        assertTrue(err.contains("can be written by other users (mode 0777) and has no sticky bit"), err);
        assertThrows(WorkloadIdentityException.class, () -> TokenFileCommand.checkTarget(shared.resolve("token")));

        Path sticky = Files.createDirectory(dir.resolve("sticky"));
        assertEquals(0, new ProcessBuilder("chmod", "1777", sticky.toString()).start().waitFor());
        assertEquals(sticky.resolve("token"), TokenFileCommand.checkTarget(sticky.resolve("token")));
    }

    @Test
    @DisplayName("--out to a device, under /dev, /proc or /sys, to a directory, to / or to - is refused before a fetch")
    void specialTargetsAreRefused() {
        assertTrue(failure("token-file", "--out", "/dev/stdout").contains("is under /dev"));
        assertTrue(failure("token-file", "--out", "/proc/self/fd/1").contains("is under /proc"));
        assertTrue(failure("token-file", "--out", "/sys/kernel/token").contains("is under /sys"));
        String root = failure("token-file", "--out", "/");
        assertTrue(root.contains("is the root directory"), root);
        String directory = failure("token-file", "--out", dir.toString());
        assertTrue(directory.contains("is a directory; name the token file inside it"), directory);
        String dash = failure("token-file", "--out", "-");
        assertTrue(dash.contains("wif4j identity-token"), dash);
        String missing = failure("token-file", "--out", dir.resolve("nope/token").toString());
        assertTrue(missing.contains("does not exist"), missing);
    }

    @Test
    @DisplayName("check reads at most 16 KiB of a token and 1 MiB of JSON, and never a device")
    void checkInputsAreCapped() throws Exception {
        Path big = dir.resolve("big.jwt");
        Files.writeString(big, "x".repeat(17 * 1024));
        Path rule = dir.resolve("rule.json");
        Files.writeString(rule, "{}");
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"check", "--token-file", big.toString(), "--rule", rule.toString()},
                new PrintWriter(new StringWriter()), new PrintWriter(err), FakeDetectionContext.empty());
        assertEquals(2, code, err.toString());
        assertTrue(err.toString().contains("is larger than 16384 bytes"), err.toString());
        err = new StringWriter();
        code = Main.run(new String[] {"check", "--token-file", "/dev/zero", "--rule", rule.toString()},
                new PrintWriter(new StringWriter()), new PrintWriter(err), FakeDetectionContext.empty());
        assertEquals(2, code, err.toString());
        assertTrue(err.toString().contains("is not a regular file"), err.toString());
        assertFalse(err.toString().contains("OutOfMemoryError"));
    }

    @Test
    @DisplayName("every directory above the token file is checked: a 0777 non-sticky ancestor is refused, by name")
    void writableAncestorsAreRefused() throws Exception {
        Path shared = Files.createDirectory(dir.resolve("shared"));
        Path own = Files.createDirectory(shared.resolve("own"));
        Files.setPosixFilePermissions(own, PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        String err = failure("token-file", "--once", "--out", own.resolve("token").toString());
        assertTrue(err.contains("The directory " + shared.toRealPath() + " can be written by other users (mode 0777) "
                + "and has no sticky bit; it is above the token file's directory " + own.toRealPath() + ", so another "
                + "user (or another container sharing the volume) could swap a directory on the way, and the token "
                + "file with it, for a link of their own."), err);
        assertEquals(0, new ProcessBuilder("chmod", "1777", shared.toString()).start().waitFor());
        assertEquals(own.resolve("token"), TokenFileCommand.checkTarget(own.resolve("token")), "sticky is safe");
    }

    @Test
    @DisplayName("a directory above the token file owned by another user (not root) is refused, by name")
    void foreignAncestorsAreRefused() throws Exception {
        Path foreign = Files.createDirectory(dir.resolve("foreign"));
        Path own = Files.createDirectory(foreign.resolve("own"));
        UserPrincipal nobody = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        try {
            Files.setOwner(foreign, nobody);
        } catch (IOException e) {
            Assumptions.assumeTrue(false, "only root can give a directory away: " + e);
        }
        String err = failure("token-file", "--once", "--out", own.resolve("token").toString());
        assertTrue(err.contains("The directory " + foreign.toRealPath() + " is owned by nobody (uid "), err);
        assertTrue(err.contains("or root; it is above the token file's directory " + own.toRealPath()), err);
    }

    @Test
    @DisplayName("token-file's log line escapes a line break in the token's subject (a forged log line)")
    void subjectLineBreaksAreEscaped() throws Exception {
        Path target = dir.resolve("token");
        String forged = "2026-01-01T00:00:00Z wrote a token for repo:acme/app:ref:refs/heads/main to /var/run/token";
        try (GitHubActionsEmulator actions = GitHubActionsEmulator.builder().repository("acme/app")
                .ref("refs/heads/x\r\n" + forged).start();
                FakeDetectionContext context = FakeDetectionContext.builder().env(actions.jobEnvironment())
                        .env("ANTHROPIC_FEDERATION_RULE_ID", "fdrl_x")
                        .env("ANTHROPIC_ORGANIZATION_ID", "123e4567-e89b-12d3-a456-426614174000").build()) {
            StringWriter err = new StringWriter();
            int code = Main.run(new String[] {"token-file", "--once", "--out", target.toString()},
                    new PrintWriter(new StringWriter()), new PrintWriter(err), context);
            assertEquals(0, code, err.toString());
            assertEquals(1, err.toString().lines().count(), err.toString());
            assertTrue(err.toString().contains("wrote a token for repo:acme/app:ref:refs/heads/x\\r\\n" + forged + " to "
                    + target), err.toString());
        }
    }

    @Test
    @DisplayName("check says where a file is not JSON and what kind of error, never a word of it")
    void checkNeverQuotesAFileThatIsNotJson() throws Exception {
        Path credentials = dir.resolve("credentials");
        Files.writeString(credentials, "aws_secret_access_key = CANARYwJalrXUtnFEMI/K7MDENG\n");
        Path rule = Files.writeString(dir.resolve("rule.json"), "{}");
        for (String[] args : List.of(new String[] {"check", "--rule", credentials.toString()},
                new String[] {"check", "--rule", rule.toString(), "--issuer", credentials.toString()},
                new String[] {"check", "--rule", rule.toString(), "--jwks", credentials.toString()})) {
            StringWriter err = new StringWriter();
            int code = Main.run(args, new PrintWriter(new StringWriter()), new PrintWriter(err),
                    FakeDetectionContext.empty());
            assertEquals(2, code, err.toString());
            assertFalse(err.toString().contains("aws_secret"), err.toString());
            assertFalse(err.toString().contains("CANARY"), err.toString());
        }
        StringWriter err = new StringWriter();
        Main.run(new String[] {"check", "--rule", credentials.toString()}, new PrintWriter(new StringWriter()),
                new PrintWriter(err), FakeDetectionContext.empty());
        // The column differs between Jackson versions (where the word starts, or where it ends).
        assertTrue(err.toString().matches("(?s).*--rule " + credentials + " is not JSON: an unexpected character or "
                + "word at line 1, column \\d+ \\(the text is not shown\\)\\..*"), err.toString());
    }

    @Test
    @DisplayName("check refuses a rule that repeats a key: which value counts would be unclear")
    void checkRefusesARepeatedKey() throws Exception {
        Path rule = Files.writeString(dir.resolve("rule.json"),
                "{\"match\":{\"subject_prefix\":\"repo:acme/*\",\"subject_prefix\":\"CANARY-other\"}}");
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"check", "--rule", rule.toString()}, new PrintWriter(new StringWriter()),
                new PrintWriter(err), FakeDetectionContext.empty());
        assertEquals(2, code, err.toString());
        assertTrue(err.toString().contains("--rule " + rule + " repeats a key, so which value counts is unclear (the "
                + "text is not shown)."), err.toString());
        assertFalse(err.toString().contains("CANARY"), err.toString());
    }
}
