package dev.wif4j.provider.gcp.internal;

import dev.wif4j.spi.DetectionContext;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code gcp} provider's settings, resolved from a {@link DetectionContext} and checked.
 *
 * @param audience the audience asked for ({@code gcp.audience}, then {@code audience})
 * @param full whether to ask for {@code format=full} ({@code gcp.format}, default {@code full})
 * @param licenses whether to ask for {@code licenses=TRUE} ({@code gcp.licenses}, default {@code false})
 * @param metadataHost {@code host[:port]} of the metadata server
 * @param metadataHostSource where {@code metadataHost} came from: a variable's name, or {@code default}
 */
public record GcpSettings(String audience, boolean full, boolean licenses, String metadataHost,
        String metadataHostSource) {

    /** The provider id, the prefix of its settings. */
    public static final String ID = "gcp";
    /** The metadata server's name on Google Cloud. */
    public static final String DEFAULT_HOST = "metadata.google.internal";
    /** The Google libraries' own variable for the metadata host. */
    public static final String HOST_VARIABLE = "GCE_METADATA_HOST";
    /** wif4j's variable for the metadata host, read before {@value #HOST_VARIABLE}. */
    public static final String HOST_SETTING_VARIABLE = DetectionContext.environmentName(ID + ".metadata.host");

    /**
     * Resolves the settings.
     *
     * @param context the context
     * @return the settings
     * @throws IllegalArgumentException with a sentence a user can act on, if a value is not usable
     */
    public static GcpSettings from(DetectionContext context) {
        String format = context.setting(ID, "format").orElse("full").strip().toLowerCase(Locale.ROOT);
        if (!format.equals("full") && !format.equals("standard")) {
            throw new IllegalArgumentException(DetectionContext.environmentName(ID + ".format") + " (gcp.format) is '"
                    + printable(format) + "': use full (the default; adds email) or standard");
        }
        String licenses = context.setting(ID, "licenses").orElse("false").strip().toLowerCase(Locale.ROOT);
        if (!licenses.equals("true") && !licenses.equals("false")) {
            throw new IllegalArgumentException(DetectionContext.environmentName(ID + ".licenses")
                    + " (gcp.licenses) is '" + printable(licenses) + "': use true or false");
        }
        String source = HOST_SETTING_VARIABLE;
        Optional<String> host = context.setting(ID, "metadata.host");
        if (host.isEmpty()) {
            source = HOST_VARIABLE;
            host = context.env(HOST_VARIABLE);
        }
        if (host.isEmpty()) {
            source = "default";
        }
        String value = host.orElse(DEFAULT_HOST).strip();
        String problem = checkHost(value);
        if (problem != null) {
            throw new IllegalArgumentException(source + " is '" + printable(value) + "', " + problem);
        }
        return new GcpSettings(context.audience(ID), format.equals("full"), licenses.equals("true"), value, source);
    }

    /**
     * Whether a metadata host is given explicitly (a local signal) rather than the default name.
     *
     * @param context the context
     * @return the variable that names it, if any
     */
    public static Optional<String> explicitHostVariable(DetectionContext context) {
        if (context.setting(ID, "metadata.host").isPresent()) {
            return Optional.of(HOST_SETTING_VARIABLE);
        }
        return context.env(HOST_VARIABLE).map(v -> HOST_VARIABLE);
    }

    /** @return the URL of the metadata root, which a probe asks */
    public URI rootUrl() {
        return URI.create("http://" + metadataHost + "/computeMetadata/v1/");
    }

    private static String checkHost(String host) {
        if (host.contains("://")) {
            return "not host[:port]: leave out the scheme (the metadata server speaks plain http)";
        }
        try {
            URI uri = new URI("http://" + host + "/");
            if (uri.getHost() == null || uri.getRawUserInfo() != null || !"/".equals(uri.getRawPath())
                    || uri.getRawQuery() != null) {
                return "not host[:port], e.g. metadata.google.internal or 127.0.0.1:8080";
            }
            return null;
        } catch (java.net.URISyntaxException e) {
            return "not host[:port], e.g. metadata.google.internal or 127.0.0.1:8080";
        }
    }

    /** Shows a value with its control characters escaped, so a reason stays one readable line. */
    static String printable(String value) {
        StringBuilder out = new StringBuilder();
        value.codePoints().limit(200).forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
