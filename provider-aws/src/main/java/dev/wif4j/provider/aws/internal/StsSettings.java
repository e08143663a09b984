package dev.wif4j.provider.aws.internal;

import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.IdentityTokenException;
import java.net.InetAddress;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What the {@code aws} provider asks STS for and where, read once from a {@link DetectionContext}: the
 * audience, the signing algorithm, the token's lifetime, request tags, and the region and endpoint when
 * the context names them. Every problem is an {@link IdentityTokenException} that names the setting.
 *
 * @param audience the audience ({@code aws.audience}, {@code audience}, default {@code https://api.anthropic.com})
 * @param signingAlgorithm {@code RS256} or {@code ES384} ({@code aws.signing-algorithm})
 * @param durationSeconds 60–3600 ({@code aws.duration-seconds}, default 300)
 * @param tags request tags, in order ({@code aws.tags}: {@code k=v,k2=v2})
 * @param region the region from {@code aws.region}, {@code AWS_REGION} or {@code AWS_DEFAULT_REGION}, if any
 * @param endpoint the STS endpoint from {@code aws.sts-endpoint}, {@code AWS_ENDPOINT_URL_STS} or
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
     * @throws IdentityTokenException when a setting is malformed, naming it and the fix
     */
    public static StsSettings from(DetectionContext context) {
        String audience = context.audience(PROVIDER);
        String algorithm = context.setting(PROVIDER, "signing-algorithm").map(s -> s.strip().toUpperCase(Locale.ROOT))
                .orElse("RS256");
        if (!algorithm.equals("RS256") && !algorithm.equals("ES384")) {
            throw new IdentityTokenException("The setting aws.signing-algorithm (WIF4J_AWS_SIGNING_ALGORITHM) is '"
                    + algorithm + "', but STS GetWebIdentityToken signs with RS256 or ES384 only: set one of those, "
                    + "or leave it unset for RS256.");
        }
        int duration = DEFAULT_DURATION_SECONDS;
        Optional<String> durationText = context.setting(PROVIDER, "duration-seconds");
        if (durationText.isPresent()) {
            try {
                duration = Integer.parseInt(durationText.get().strip());
            } catch (NumberFormatException e) {
                duration = -1;
            }
            if (duration < 60 || duration > 3600) {
                throw new IdentityTokenException("The setting aws.duration-seconds (WIF4J_AWS_DURATION_SECONDS) is '"
                        + durationText.get().strip() + "', but STS issues tokens living 60 to 3600 seconds: set a "
                        + "whole number in that range, or leave it unset for " + DEFAULT_DURATION_SECONDS + ".");
            }
        }
        Map<String, String> tags = tags(context.setting(PROVIDER, "tags").orElse(""));
        Optional<String> region = context.setting(PROVIDER, "region")
                .or(() -> context.env("AWS_REGION"))
                .or(() -> context.env("AWS_DEFAULT_REGION"))
                .map(String::strip);
        if (region.isPresent()) {
            checkRegion(region.get());
        }
        Optional<URI> endpoint = context.setting(PROVIDER, "sts-endpoint")
                .or(() -> context.env("AWS_ENDPOINT_URL_STS"))
                .or(() -> context.env("AWS_ENDPOINT_URL"))
                .map(StsSettings::endpoint);
        return new StsSettings(audience, algorithm, duration, tags, region, endpoint,
                isTrue(context.env("AWS_USE_FIPS_ENDPOINT")), isTrue(context.env("AWS_USE_DUALSTACK_ENDPOINT")));
    }

    /**
     * Checks a region name; {@code aws-global} is refused because it means the global endpoint.
     *
     * @param region the region
     * @throws IdentityTokenException when it is not a region name
     */
    public static void checkRegion(String region) {
        if ("aws-global".equals(region)) {
            throw new IdentityTokenException("The AWS region is aws-global, which means the global STS endpoint; "
                    + "GetWebIdentityToken is served only by regional endpoints: set AWS_REGION to the region the "
                    + "workload runs in, e.g. us-east-1.");
        }
        if (!region.matches("[a-z]{2,}(-[a-z0-9]+)+")) {
            throw new IdentityTokenException("The AWS region '" + region + "' is not a region name such as "
                    + "us-east-1: fix AWS_REGION (or the setting aws.region).");
        }
    }

    private static Map<String, String> tags(String text) {
        Map<String, String> tags = new LinkedHashMap<>();
        if (text.isBlank()) {
            return tags;
        }
        for (String pair : text.split(",")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair.strip() : pair.substring(0, eq).strip();
            if (eq < 0 || key.isEmpty()) {
                throw new IdentityTokenException("The setting aws.tags (WIF4J_AWS_TAGS) must be key=value pairs "
                        + "separated by commas, e.g. team=payments,env=prod; '" + pair.strip() + "' is not one.");
            }
            tags.put(key, pair.substring(eq + 1).strip());
        }
        return tags;
    }

    /**
     * Parses an endpoint: https, or http on a loopback address (an emulator); never the global endpoint.
     *
     * @param text the value
     * @return the endpoint
     */
    private static URI endpoint(String text) {
        URI uri;
        try {
            uri = URI.create(text.strip());
        } catch (IllegalArgumentException e) {
            throw new IdentityTokenException("The STS endpoint (aws.sts-endpoint or AWS_ENDPOINT_URL_STS) is not a "
                    + "URL: " + text.strip());
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new IdentityTokenException("The STS endpoint (aws.sts-endpoint or AWS_ENDPOINT_URL_STS) is not an "
                    + "absolute URL: " + text.strip());
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"https".equals(scheme) && !("http".equals(scheme) && isLoopback(uri.getHost()))) {
            throw new IdentityTokenException("The STS endpoint " + scheme + "://" + uri.getHost() + " is not https; "
                    + "signed AWS requests go to https endpoints only (plain http is accepted on loopback, for "
                    + "emulators).");
        }
        if (GLOBAL_HOST.equalsIgnoreCase(uri.getHost())) {
            throw new IdentityTokenException(globalEndpointMessage());
        }
        return uri;
    }

    /** @return why the global endpoint is refused, and what to use */
    public static String globalEndpointMessage() {
        return "The STS endpoint is the global one (https://" + GLOBAL_HOST + "), which does not serve "
                + "GetWebIdentityToken: use the regional endpoint, https://sts.<region>.amazonaws.com, or unset "
                + "AWS_ENDPOINT_URL_STS and set AWS_REGION.";
    }

    private static boolean isLoopback(String host) {
        if ("localhost".equalsIgnoreCase(host)) {
            return true;
        }
        String literal = host.replace("[", "").replace("]", "");
        if (!literal.matches("[0-9.]+") && !literal.contains(":")) {
            return false; // a name: never resolved here
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static boolean isTrue(Optional<String> value) {
        return value.map(v -> v.strip().equalsIgnoreCase("true")).orElse(false);
    }
}
