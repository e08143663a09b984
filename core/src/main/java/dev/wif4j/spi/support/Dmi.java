package dev.wif4j.spi.support;

import dev.wif4j.spi.DetectionContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The machine's DMI (SMBIOS) data under {@code /sys/class/dmi/id} on Linux, read through the
 * {@link DetectionContext}: cloud VMs name their vendor there ({@code Google Compute Engine},
 * {@code Amazon EC2}, {@code Microsoft Corporation}), so detection can tell a VM from a laptop
 * without a network call.
 */
public final class Dmi {
    /** Where the entries live. */
    public static final String DIRECTORY = "/sys/class/dmi/id/";
    /** DMI strings are short; anything longer is not DMI data. */
    private static final int MAX_BYTES = 256;

    private Dmi() {}

    /**
     * One DMI entry, stripped.
     *
     * @param context the context whose file system is read
     * @param entry the entry's name, e.g. {@code sys_vendor}, {@code product_name}, {@code board_asset_tag}
     * @return its value, or empty when the entry is missing, unreadable, not a regular file, or blank
     */
    public static Optional<String> read(DetectionContext context, String entry) {
        if (entry.isEmpty() || entry.contains("/") || entry.contains("\0")) {
            throw new IllegalArgumentException("not a DMI entry name: " + Text.quote(entry));
        }
        Path path = context.path(DIRECTORY + entry);
        // A FIFO or a device here must not hang or flood detection.
        if (!Files.isRegularFile(path)) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(path)) {
            String value = new String(in.readNBytes(MAX_BYTES), StandardCharsets.UTF_8).strip();
            return value.isEmpty() ? Optional.empty() : Optional.of(value);
        } catch (IOException | SecurityException e) {
            return Optional.empty(); // product_serial and friends are root-only: not a signal either way
        }
    }

    /**
     * Whether a DMI entry starts with a prefix, ignoring case.
     *
     * @param context the context
     * @param entry the entry's name
     * @param prefix the expected start, e.g. {@code Google}
     * @return {@code true} when the entry exists and starts with the prefix
     */
    public static boolean startsWith(DetectionContext context, String entry, String prefix) {
        // Plain code: detection calls this in a cold JVM, where each lambda costs a generated class.
        Optional<String> value = read(context, entry);
        return value.isPresent() && value.get().regionMatches(true, 0, prefix, 0, prefix.length());
    }
}
