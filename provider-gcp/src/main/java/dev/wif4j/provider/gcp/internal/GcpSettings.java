package dev.wif4j.provider.gcp.internal;

import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.support.ProviderSettings;
import dev.wif4j.spi.support.Setting;
import dev.wif4j.spi.support.SettingException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The {@code gcp} provider's settings, read through {@link ProviderSettings} and checked; a bad value is a
 * {@link SettingException} naming where it came from.
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

    /**
     * Resolves the settings.
     *
     * @param context the context
     * @return the settings
     * @throws SettingException with a sentence a user can act on, if a value is not usable
     */
    public static GcpSettings from(DetectionContext context) {
        ProviderSettings settings = ProviderSettings.of(context, ID);
        Setting format = settings.get("format");
        boolean full = switch (format.value("full").toLowerCase(Locale.ROOT)) {
            case "full" -> true;
            case "standard" -> false;
            default -> throw format.invalid("it must be full (the default; adds email) or standard");
        };
        boolean licenses = settings.get("licenses").asBoolean(false);
        Setting host = metadataHost(context);
        String value = host.value(DEFAULT_HOST);
        String problem = checkHost(value);
        if (problem != null) {
            throw host.invalid(problem);
        }
        return new GcpSettings(settings.audience(), full, licenses, value,
                host.source().orElse("default"));
    }

    private static Setting metadataHost(DetectionContext context) {
        return ProviderSettings.of(context, ID).get("metadata.host").orEnv(HOST_VARIABLE);
    }

    /** @return the URL of the metadata root, which a probe asks */
    public URI rootUrl() {
        return URI.create("http://" + metadataHost + "/computeMetadata/v1/");
    }

    /**
     * The metadata server speaks plain http on a link-local address by design, so its host is not an
     * endpoint under the https rule: it is a bare {@code host[:port]}.
     */
    private static String checkHost(String host) {
        if (host.contains("://")) {
            return "that is not host[:port]: leave out the scheme (the metadata server speaks plain http)";
        }
        try {
            URI uri = new URI("http://" + host + "/");
            if (uri.getHost() == null || uri.getRawUserInfo() != null || !"/".equals(uri.getRawPath())
                    || uri.getRawQuery() != null) {
                return "that is not host[:port], e.g. metadata.google.internal or 127.0.0.1:8080";
            }
            return null;
        } catch (URISyntaxException e) {
            return "that is not host[:port], e.g. metadata.google.internal or 127.0.0.1:8080";
        }
    }
}
