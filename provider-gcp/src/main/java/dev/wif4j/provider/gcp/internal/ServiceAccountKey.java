package dev.wif4j.provider.gcp.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.support.SettingException;
import dev.wif4j.spi.support.SmallFiles;
import dev.wif4j.spi.support.Text;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
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

    /** Streaming, not databind: detection reads three fields and should not load a data-binding library. */
    private static final JsonFactory JSON = new JsonFactory();
    private static final Set<String> FIELDS = Set.of("type", "client_email", "service_account_impersonation_url");
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
        String shown = Text.escape(pathValue, 200);
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
        Map<String, String> json = topLevelFields(content);
        if (json == null) {
            throw new SettingException(VARIABLE + " is " + shown + ", which is not a JSON credentials file.");
        }
        String type = json.getOrDefault("type", "");
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
        String account = "service_account".equals(type) ? json.getOrDefault("client_email", "?")
                : json.getOrDefault("service_account_impersonation_url", "?");
        return new ServiceAccountKey(shown, type, account, content);
    }

    /**
     * The top-level fields this class reads, as text (a scalar's text, {@code ""} for an object or array; a
     * {@code null} value counts as absent; the last of repeated keys wins).
     *
     * @return the fields, or {@code null} when the content is not a JSON object
     */
    private static Map<String, String> topLevelFields(byte[] content) {
        Map<String, String> fields = new HashMap<>();
        try (JsonParser parser = JSON.createParser(content)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
                if (token != JsonToken.FIELD_NAME) {
                    return null;
                }
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                String text;
                if (value == null) {
                    return null;
                } else if (value.isStructStart()) {
                    parser.skipChildren();
                    text = "";
                } else {
                    text = value == JsonToken.VALUE_NULL ? null : parser.getText();
                }
                if (FIELDS.contains(name)) {
                    if (text == null) {
                        fields.remove(name);
                    } else {
                        fields.put(name, text);
                    }
                }
            }
            return fields;
        } catch (IOException e) {
            return null;
        }
    }

    /** Never shows the key itself. */
    @Override
    public String toString() {
        return "ServiceAccountKey[" + displayPath + ", " + type + ", " + account + "]";
    }
}
