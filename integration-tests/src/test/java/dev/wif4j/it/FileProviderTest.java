package dev.wif4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.wif4j.IdentityProviderException;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.OidcIssuer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** The built-in file provider, through the public API, as a user configures it. */
class FileProviderTest {
    static final String TOKEN_FILE = "/var/run/secrets/anthropic.com/token";
    @AutoClose
    static final OidcIssuer issuer = OidcIssuer.start();

    private static WorkloadIdentity identity(FakeDetectionContext context) {
        return WorkloadIdentity.builder().context(context).build();
    }

    private static FakeDetectionContext.Builder base() {
        return FakeDetectionContext.builder()
                .env("ANTHROPIC_FEDERATION_RULE_ID", "fdrl_files")
                .env("ANTHROPIC_ORGANIZATION_ID", "123e4567-e89b-12d3-a456-426614174000")
                .env("ANTHROPIC_IDENTITY_TOKEN_FILE", TOKEN_FILE);
    }

    private static String fetchError(FakeDetectionContext context) {
        try (WorkloadIdentity identity = identity(context)) {
            String message = assertThrows(IdentityProviderException.class, identity::fetchIdentityToken).getMessage();
            assertTrue(message.startsWith("Identity token file " + TOKEN_FILE + " (ANTHROPIC_IDENTITY_TOKEN_FILE): "),
                    message);
            return message.substring(message.indexOf("): ") + 3);
        }
    }

    @Test
    void tokenIsReadTrimmedAndRotatedTokensArePickedUp() throws Exception {
        String first = issuer.mint().subject("system:serviceaccount:prod:billing").sign();
        FakeDetectionContext context = base().file(TOKEN_FILE, "\n  " + first + "  \n").build();
        try (WorkloadIdentity identity = identity(context)) {
            assertEquals("file", identity.providerId());
            assertEquals(first, identity.fetchIdentityToken().serialized());
            String second = issuer.mint().subject("system:serviceaccount:prod:billing").sign();
            Files.writeString(context.path(TOKEN_FILE), second);
            assertEquals(second, identity.fetchIdentityToken().serialized(), "re-read on every fetch");
        }
    }

    @Test
    void missingFileIsChosenButFailsOnFetchSayingSo() {
        FakeDetectionContext context = base().build();
        try (WorkloadIdentity identity = identity(context)) {
            assertTrue(identity.detection().toTable().contains("(the file does not exist yet)"));
        }
        assertEquals("the file does not exist.", fetchError(context));
    }

    @Test
    void emptyAndWhitespaceFilesAreRefused() {
        assertEquals("the file is empty.", fetchError(base().file(TOKEN_FILE, "").build()));
        assertEquals("the file is empty (only whitespace).", fetchError(base().file(TOKEN_FILE, " \n\t\n").build()));
    }

    @Test
    void directoryIsRefused() throws Exception {
        FakeDetectionContext context = base().build();
        Files.createDirectories(context.path(TOKEN_FILE));
        assertEquals("it is a directory, not a file.", fetchError(context));
    }

    @Test
    void oversizeFileIsRefusedBeforeParsing() {
        assertEquals("it is larger than 16384 bytes; Anthropic refuses identity tokens over 16 KiB.",
                fetchError(base().file(TOKEN_FILE, "a".repeat(16 * 1024 + 1)).build()));
    }

    @Test
    void binaryFileIsRefused() throws Exception {
        FakeDetectionContext context = base().build();
        Path file = context.path(TOKEN_FILE);
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2, (byte) 0xc3});
        assertEquals("it is not UTF-8 text (a binary file?).", fetchError(context));
    }

    @Test
    void unreadableFileIsRefused() throws Exception {
        FakeDetectionContext context = base().file(TOKEN_FILE, issuer.mint().sign()).build();
        Path file = context.path(TOKEN_FILE);
        assertTrue(file.toFile().setReadable(false, false));
        assumeFalse(Files.isReadable(file), "file permissions are not enforced for this user (root)");
        assertEquals("this process may not read it (permission denied).", fetchError(context));
    }

    @Test
    void notAJwtIsRefusedWithoutEchoingTheContent() {
        String secretish = "two.parts-only-secret-material-here";
        String message = fetchError(base().file(TOKEN_FILE, secretish).build());
        assertEquals("The identity token is not a JWT: expected three parts separated by dots "
                + "(header.payload.signature), found 2.", message);
        assertFalse(message.contains("secret-material"));
    }
}
