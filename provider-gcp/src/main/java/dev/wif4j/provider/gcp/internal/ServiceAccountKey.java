package dev.wif4j.provider.gcp.internal;

import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.support.JsonAnswer;
import dev.wif4j.spi.support.JsonAnswerException;
import dev.wif4j.spi.support.SettingException;
import dev.wif4j.spi.support.SmallFiles;
import dev.wif4j.spi.support.Text;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;

/**
 * The Application Default Credentials file named by {@code GOOGLE_APPLICATION_CREDENTIALS}, read through the
 * context and checked for a type that can mint ID tokens. A file that cannot serve is a {@link SettingException}:
 * the variable is the setting to fix.
 *
 * @param displayPath the path as the variable names it
 * @param type the file's {@code type}
 * @param account the service account it speaks for ({@code client_email}, or the impersonation target URL)
 * @param content the file's bytes, for the library
 */
public record ServiceAccountKey(String displayPath, String type, String account, byte[] content) {

    /** The variable Google's libraries and tools read. */
    public static final String VARIABLE = "GOOGLE_APPLICATION_CREDENTIALS";
    /** The credential types whose library classes mint ID tokens for any audience. */
    public static final Set<String> MINTING_TYPES = Set.of("service_account", "impersonated_service_account");

    private static final int MAX_SIZE = 64 * 1024;

    /**
     * Reads and checks the file.
     *
     * @param context the context
     * @param pathValue the variable's value
     * @return the key
     * @throws SettingException with a sentence a user can act on
     */
    public static ServiceAccountKey read(DetectionContext context, String pathValue) {
        String shown = Text.escape(pathValue);
        Path path;
        try {
            path = context.path(pathValue.strip());
        } catch (RuntimeException e) {
            throw new SettingException(VARIABLE + " is " + Text.quote(pathValue) + ", which is not a usable path.");
        }
        byte[] content;
        try {
            content = SmallFiles.read(path, MAX_SIZE);
        } catch (NoSuchFileException e) {
            throw new SettingException(VARIABLE + " is " + shown + ", but there is no such file.");
        } catch (SmallFiles.NotRegularFileException e) {
            throw new SettingException(VARIABLE + " is " + shown + ", which is " + (e.isDirectory() ? "a directory"
                    : "not a regular file") + ", not a credentials file.");
        } catch (SmallFiles.TooLargeException e) {
            throw new SettingException(VARIABLE + " is " + shown + ", which is larger than a credentials "
                    + "file (" + MAX_SIZE + " bytes at most).");
        } catch (IOException e) {
            throw new SettingException(VARIABLE + " is " + shown + ", which cannot be read ("
                    + e.getClass().getSimpleName() + ").");
        }
        JsonAnswer json;
        try {
            // On core's jackson-core, which also refuses a repeated key (the library might read the other one).
            json = JsonAnswer.parse(content, VARIABLE);
        } catch (JsonAnswerException e) {
            throw new SettingException(VARIABLE + " is " + shown + ", which is not a JSON credentials file.");
        }
        String type = json.string("type").orElse("");
        if (!MINTING_TYPES.contains(type)) {
            String why = switch (type) {
                case "authorized_user" -> "user credentials (gcloud auth application-default login), whose ID "
                        + "tokens are for the gcloud OAuth client, not for an audience of your choice";
                case "external_account" -> "workload identity federation credentials, which cannot mint Google ID "
                        + "tokens; federate with Anthropic directly from the source identity instead";
                case "" -> "a file without a \"type\"";
                default -> "credentials of type " + Text.quote(type) + ", which cannot mint ID tokens";
            };
            throw new SettingException(VARIABLE + " is " + shown + ": " + why + ". Use a service-account key "
                    + "or impersonated_service_account credentials, or unset it to use the metadata server.");
        }
        String account = json.string("service_account".equals(type) ? "client_email"
                : "service_account_impersonation_url").orElse("?");
        return new ServiceAccountKey(shown, type, account, content);
    }

    /** Never shows the key itself. */
    @Override
    public String toString() {
        return "ServiceAccountKey[" + displayPath + ", " + type + ", " + account + "]";
    }
}
