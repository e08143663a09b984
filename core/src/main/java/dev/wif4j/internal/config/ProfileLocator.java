package dev.wif4j.internal.config;

import dev.wif4j.ConfigurationException;
import dev.wif4j.internal.config.ConfigResolver.Explicit;
import dev.wif4j.internal.config.ConfigResolver.Profile;
import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.support.SafePaths;
import dev.wif4j.spi.support.Text;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which profile file applies, the first half of {@link ConfigResolver}'s precedence: the profile named in code or
 * by {@code ANTHROPIC_PROFILE} (an error if missing), else none when the federation variables are set, else the
 * active profile ({@code active_config}, read without following links, else {@code default}), in the config
 * directory ({@code ANTHROPIC_CONFIG_DIR} or the platform's). {@link Profile} reads the file it names.
 */
final class ProfileLocator {
    private static final int MAX_ACTIVE_CONFIG_BYTES = 4096;
    private static final String PROFILE_NAME_RULE = "use letters, digits, '_', '-' and '.', not starting with '.', "
            + "with no path separators and no '..'.";

    private ProfileLocator() {}

    /** The profile that applies, read; {@code null} if none does. */
    static Profile load(DetectionContext context, Explicit explicit) {
        String explicitName = explicit.profile() != null ? explicit.profile() : context.env("ANTHROPIC_PROFILE").orElse(null);
        String origin = explicit.profile() != null ? "The profile given in code" : "ANTHROPIC_PROFILE";
        boolean envFederation = explicit.federationRuleId() != null
                || context.env("ANTHROPIC_FEDERATION_RULE_ID").isPresent();
        if (explicitName == null && envFederation) {
            return null; // the federation variables beat a leftover default profile
        }
        Path dir = configDirectory(context, explicit);
        if (explicitName != null) {
            String name = explicitName.strip();
            if (!isProfileName(name)) {
                throw new ConfigurationException(origin + " " + Text.quote(explicitName) + " is not a valid profile "
                        + "name: " + PROFILE_NAME_RULE);
            }
            Path file = dir.resolve("configs").resolve(name + ".json");
            Profile profile = Profile.read(file, name);
            if (profile == null) {
                throw new ConfigurationException(origin + " is '" + name + "', but " + ConfigResolver.pathText(file)
                        + " does not exist. Create it, or unset ANTHROPIC_PROFILE.");
            }
            return profile;
        }
        String name = "default";
        Path active = dir.resolve("active_config");
        byte[] content = readActiveConfig(active);
        String activeName = content == null ? null : new String(content, StandardCharsets.UTF_8);
        if (activeName != null && !activeName.isBlank()) {
            name = activeName.strip();
            if (!isProfileName(name)) {
                // Never quoted: the file may be a secret, or a link planted to make this message print one.
                throw new ConfigurationException("The active profile file " + ConfigResolver.pathText(active) + " holds "
                        + content.length + " bytes that are not a valid profile name (not shown): "
                        + PROFILE_NAME_RULE.substring(0, PROFILE_NAME_RULE.length() - 1) + ", at most 128 characters. "
                        + "Write one profile name into it, or delete it, or set ANTHROPIC_PROFILE.");
            }
        }
        return Profile.read(dir.resolve("configs").resolve(name + ".json"), name);
    }

    private static Path configDirectory(DetectionContext context, Explicit explicit) {
        if (explicit.configDirectory() != null) {
            return explicit.configDirectory();
        }
        Optional<String> dir = context.env("ANTHROPIC_CONFIG_DIR");
        if (dir.isPresent()) {
            return context.path(dir.get());
        }
        boolean windows = context.systemProperty("os.name").orElse("").toLowerCase(Locale.ROOT).startsWith("windows");
        if (windows) {
            Optional<String> appData = context.env("APPDATA");
            if (appData.isPresent()) {
                return context.path(appData.get()).resolve("Anthropic");
            }
        }
        String home = context.systemProperty("user.home").orElse("/");
        return windows ? context.path(home).resolve("AppData").resolve("Roaming").resolve("Anthropic")
                : context.path(home).resolve(".config").resolve("anthropic");
    }

    private static boolean isProfileName(String name) {
        return IdShapes.profileName(name);
    }

    /**
     * The active profile file's bytes, or {@code null} if there is none. A link is refused, not followed:
     * pointed at {@code /proc/self/environ} or a secret, it would make wif4j read that file. So is a file
     * of another user's, who could otherwise choose the profile this process uses.
     */
    private static byte[] readActiveConfig(Path file) {
        String shown = ConfigResolver.pathText(file);
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new ConfigurationException("Could not read the active profile file " + shown + ": "
                    + e.getClass().getSimpleName() + ".", e);
        }
        if (attributes.isSymbolicLink()) {
            throw new ConfigurationException("The active profile file " + shown + " is a symbolic link, which "
                    + "wif4j does not follow: it could name any file, whose content would be taken for a profile name. "
                    + "Replace it with a file holding the profile name, or set ANTHROPIC_PROFILE.");
        }
        if (!attributes.isRegularFile()) {
            throw new ConfigurationException("The active profile file " + shown + " is not a regular file"
                    + (attributes.isDirectory() ? " (a directory)" : " (a FIFO, a device or a socket); it was not opened")
                    + ". It should hold a profile name.");
        }
        try {
            SafePaths.checkOwnFile(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            // Told apart here, not by a catch clause of its own: the JVM would load its class to verify this one,
            // which every build() runs (issue 32).
            if (e instanceof SafePaths.UnsafePathException) {
                throw new ConfigurationException("The active profile file is not used: " + e.getMessage() + ", so "
                        + "another user could choose the profile this process uses. Change its owner, or set "
                        + "ANTHROPIC_PROFILE.");
            }
            throw new ConfigurationException("Could not read the active profile file " + shown + ": "
                    + e.getClass().getSimpleName() + ".", e);
        }
        // NOFOLLOW: a link swapped in since the check is not followed either.
        try (InputStream in = Channels.newInputStream(Files.newByteChannel(file,
                Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)))) {
            byte[] bytes = in.readNBytes(MAX_ACTIVE_CONFIG_BYTES + 1);
            if (bytes.length > MAX_ACTIVE_CONFIG_BYTES) {
                throw new ConfigurationException("The active profile file " + shown + " is larger than "
                        + MAX_ACTIVE_CONFIG_BYTES + " bytes; it should hold a profile name.");
            }
            return bytes;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new ConfigurationException("Could not read the active profile file " + shown + ": "
                    + e.getClass().getSimpleName() + ".", e);
        }
    }
}
