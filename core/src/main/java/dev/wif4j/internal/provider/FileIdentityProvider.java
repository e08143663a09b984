package dev.wif4j.internal.provider;

import dev.wif4j.spi.Detection;
import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.IdentityProvider;
import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.spi.support.ProviderSettings;
import dev.wif4j.spi.support.Text;
import dev.wif4j.spi.support.TokenFile;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The built-in {@code file} provider: an identity token kept in a file by something else (a
 * Kubernetes projected volume, a CI step, {@code wif4j token-file}), named by
 * {@code ANTHROPIC_IDENTITY_TOKEN_FILE}, a profile's {@code identity_token}, or the setting
 * {@code file.path}. The file is re-read and trimmed on every fetch, so rotations are picked up.
 */
public final class FileIdentityProvider implements IdentityProvider {
    /** The documented variable. */
    public static final String ENV = "ANTHROPIC_IDENTITY_TOKEN_FILE";
    /** Anthropic refuses assertions over 16 KiB; a bigger file cannot hold a usable token. */
    static final int MAX_BYTES = 16 * 1024;

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public FileIdentityProvider() {}

    @Override
    public String id() {
        return "file";
    }

    @Override
    public Detection detect(DetectionContext context) {
        Optional<Configured> configured = configured(context);
        if (configured.isEmpty()) {
            return Detection.unavailable(ENV + " is not set");
        }
        Configured c = configured.get();
        Path path;
        try {
            path = context.path(c.path());
        } catch (InvalidPathException e) {
            // Still chosen, so that fetch() reports the bad value instead of another provider being used.
            return Detection.available(c.origin() + " is set, but is not a valid path (" + e.getReason() + ")");
        }
        return Detection.available(c.origin() + " names " + Text.escape(c.path(), 500)
                + (Files.exists(path) ? "" : " (the file does not exist yet)"));
    }

    @Override
    public IdentityTokenSource open(DetectionContext context) {
        Optional<Configured> found = configured(context);
        if (found.isEmpty()) {
            throw new IdentityTokenException(ENV + " is not set, so the file provider has no file to read.");
        }
        Configured configured = found.get();
        try {
            return new Source(context.path(configured.path()), configured.path(), configured.origin());
        } catch (InvalidPathException e) {
            throw new IdentityTokenException("Identity token file (" + configured.origin() + "): the value is not a "
                    + "valid path (" + e.getReason() + ").");
        }
    }

    /** Plain code on the detection path: each lambda costs a cold JVM a generated class. */
    private static Optional<Configured> configured(DetectionContext context) {
        Optional<String> setting = ProviderSettings.of(context, "file").get("path").value();
        if (setting.isPresent()) {
            return Optional.of(new Configured(setting.get(), "the setting file.path"));
        }
        Optional<String> env = context.env(ENV);
        return env.isPresent() ? Optional.of(new Configured(env.get(), ENV)) : Optional.empty();
    }

    private record Configured(String path, String origin) {}

    @Override
    public String toString() {
        return "FileIdentityProvider";
    }

    /** Reads the file on every fetch. */
    static final class Source implements IdentityTokenSource {
        private final Path path;
        private final String shownPath;
        private final String origin;

        Source(Path path, String shownPath, String origin) {
            this.path = path;
            // A profile in a checked-out repository may name any path, even one with a line break in it.
            this.shownPath = Text.escape(shownPath, 500);
            this.origin = origin;
        }

        @Override
        public IdentityToken fetch() {
            String text = read();
            try {
                return IdentityToken.parse(text);
            } catch (IdentityTokenException e) {
                throw new IdentityTokenException(prefix() + e.getMessage());
            }
        }

        private String read() {
            // Afresh on every fetch, in one open: the kubelet swaps the ..data symlink atomically.
            return TokenFile.of(path, "Identity token file " + shownPath + " (" + origin + ")")
                    .maxBytes(MAX_BYTES, "Anthropic refuses identity tokens over 16 KiB").read();
        }

        private String prefix() {
            return "Identity token file " + shownPath + " (" + origin + "): ";
        }

        @Override
        public String toString() {
            return "FileIdentityTokenSource[" + shownPath + "]";
        }
    }
}
