package dev.wif4j.provider.aws.internal;

import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.support.ProviderSettings;
import dev.wif4j.spi.support.Setting;
import dev.wif4j.spi.support.SettingException;
import dev.wif4j.spi.support.Text;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What the {@code aws} provider asks STS for and where, read once from a {@link DetectionContext} through
 * {@link ProviderSettings}: the audience, the signing algorithm, the token's lifetime, request tags, and the
 * region and endpoint when the context names them. Every problem is a {@link SettingException} that names
 * where the value came from.
 *
 * @param audience the audience ({@code aws.audience}, {@code audience}, default {@code https://api.anthropic.com})
 * @param signingAlgorithm {@code RS256} or {@code ES384} ({@code aws.signing.algorithm})
 * @param durationSeconds 60–3600 ({@code aws.duration.seconds}, default 300)
 * @param tags request tags, in order ({@code aws.tags}: {@code k=v,k2=v2})
 * @param region the region from {@code aws.region}, {@code AWS_REGION} or {@code AWS_DEFAULT_REGION}, if any
 * @param endpoint the STS endpoint from {@code aws.sts.endpoint}, {@code AWS_ENDPOINT_URL_STS} or
 *        {@code AWS_ENDPOINT_URL}, if any
 * @param fips whether {@code AWS_USE_FIPS_ENDPOINT} asks for the FIPS endpoint
 * @param dualStack whether {@code AWS_USE_DUALSTACK_ENDPOINT} asks for the dual-stack endpoint
 */
public record StsSettings(String audience, String signingAlgorithm, int durationSeconds, Map<String, String> tags,
        Optional<String> region, Optional<URI> endpoint, boolean fips, boolean dualStack) {

    /** The provider id, the prefix of its settings. */
    public static final String PROVIDER = "aws";
    /** STS's default and wif4j's: five minutes. */
    public static final int DEFAULT_DURATION_SECONDS = 300;
    /** The host of the global endpoint, which does not serve {@code GetWebIdentityToken}. */
    public static final String GLOBAL_HOST = "sts.amazonaws.com";

    /**
     * Reads and checks the settings.
     *
     * @param context the context
     * @return the settings
     * @throws SettingException when a setting is malformed, naming it and the fix
     */
    public static StsSettings from(DetectionContext context) {
        ProviderSettings settings = ProviderSettings.of(context, PROVIDER);
        Setting algorithmSetting = settings.get("signing.algorithm");
        String algorithm = algorithmSetting.value("RS256").toUpperCase(Locale.ROOT);
        if (!algorithm.equals("RS256") && !algorithm.equals("ES384")) {
            throw algorithmSetting.invalid("STS GetWebIdentityToken signs with RS256 or ES384 only: set one of "
                    + "those, or leave it unset for RS256");
        }
        int duration = (int) settings.get("duration.seconds").asLong(DEFAULT_DURATION_SECONDS, 60, 3600,
                "STS issues tokens living 60 to 3600 seconds: set a whole number in that range, or leave it unset for "
                + DEFAULT_DURATION_SECONDS);
        Map<String, String> tags = tags(settings.get("tags"));
        Setting regionSetting = settings.get("region").orEnv("AWS_REGION", "AWS_DEFAULT_REGION");
        Optional<String> region = regionSetting.value();
        region.ifPresent(r -> checkRegion(r, regionSetting));
        Optional<URI> endpoint = settings.get("sts.endpoint").orEnv("AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL")
                .asEndpoint();
        // The kit's rule says https or loopback; STS adds one of its own: the global endpoint cannot serve the call.
        if (endpoint.isPresent() && GLOBAL_HOST.equalsIgnoreCase(endpoint.get().getHost())) {
            throw new SettingException(globalEndpointMessage());
        }
        return new StsSettings(settings.audience(), algorithm, duration, tags, region, endpoint,
                isTrue(context.env("AWS_USE_FIPS_ENDPOINT")), isTrue(context.env("AWS_USE_DUALSTACK_ENDPOINT")));
    }

    /**
     * Checks a region name; {@code aws-global} is refused because it means the global endpoint.
     *
     * @param region the region
     * @param setting where it came from, or {@code null} when the AWS SDK's region chain found it
     * @throws SettingException when it is not a region name
     */
    public static void checkRegion(String region, Setting setting) {
        if ("aws-global".equals(region)) {
            String why = "it means the global STS endpoint; GetWebIdentityToken is served only by regional "
                    + "endpoints: set AWS_REGION to the region the workload runs in, e.g. us-east-1";
            throw setting != null ? setting.invalid(why)
                    : new SettingException("The AWS region is aws-global, but " + why + ".");
        }
        if (!region.matches("[a-z]{2,}(-[a-z0-9]+)+")) {
            String why = "it is not a region name such as us-east-1: fix AWS_REGION (or the setting aws.region)";
            throw setting != null ? setting.invalid(why)
                    : new SettingException("The AWS region " + Text.quote(region) + " found by the AWS SDK is not a "
                            + "region name such as us-east-1: fix AWS_REGION (or the setting aws.region).");
        }
    }

    private static Map<String, String> tags(Setting setting) {
        Map<String, String> tags = new LinkedHashMap<>();
        if (!setting.isSet()) {
            return tags;
        }
        for (String pair : setting.value("").split(",")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair.strip() : pair.substring(0, eq).strip();
            if (eq < 0 || key.isEmpty()) {
                throw setting.invalid("it must be key=value pairs separated by commas, e.g. team=payments,env=prod; "
                        + Text.quote(pair.strip()) + " is not one");
            }
            tags.put(key, pair.substring(eq + 1).strip());
        }
        return tags;
    }

    /** @return why the global endpoint is refused, and what to use */
    public static String globalEndpointMessage() {
        return "The STS endpoint is the global one (https://" + GLOBAL_HOST + "), which does not serve "
                + "GetWebIdentityToken: use the regional endpoint, https://sts.<region>.amazonaws.com, or unset "
                + "AWS_ENDPOINT_URL_STS and set AWS_REGION.";
    }

    /** The AWS SDK's own flags: only {@code true} turns them on, as in the SDK. */
    private static boolean isTrue(Optional<String> value) {
        return value.map(v -> v.strip().equalsIgnoreCase("true")).orElse(false);
    }
}
