package dev.wif4j;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * What the token exchange needs besides the identity token: the federation rule, the
 * organization, the optional service account and workspace, and the API base URL. None of them
 * is secret. Resolved from the builder, the Anthropic environment variables and the profile
 * files with their documented precedence.
 */
public final class FederationSettings {
    private final String federationRuleId;
    private final String organizationId;
    private final String serviceAccountId;
    private final String workspaceId;
    private final URI baseUrl;
    private final String profile;
    private final String source;

    /**
     * Creates the settings. Callers outside wif4j rarely need this; {@link WorkloadIdentity}
     * resolves them.
     *
     * @param federationRuleId the {@code fdrl_…} rule id; never {@code null}
     * @param organizationId the organization UUID; never {@code null}
     * @param serviceAccountId the {@code svac_…} id; may be {@code null}
     * @param workspaceId the {@code wrkspc_…} id or {@code default}; may be {@code null}
     * @param baseUrl the API base URL without a trailing slash; never {@code null}
     * @param profile the profile the values came from; may be {@code null}
     * @param source where the values came from, for reports; never {@code null}
     */
    public FederationSettings(String federationRuleId, String organizationId, String serviceAccountId,
            String workspaceId, URI baseUrl, String profile, String source) {
        this.federationRuleId = Objects.requireNonNull(federationRuleId, "federationRuleId");
        this.organizationId = Objects.requireNonNull(organizationId, "organizationId");
        this.serviceAccountId = serviceAccountId;
        this.workspaceId = workspaceId;
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        this.profile = profile;
        this.source = Objects.requireNonNull(source, "source");
    }

    /**
     * The federation rule to evaluate.
     *
     * @return the {@code fdrl_…} id
     */
    public String federationRuleId() {
        return federationRuleId;
    }

    /**
     * The organization.
     *
     * @return the organization UUID
     */
    public String organizationId() {
        return organizationId;
    }

    /**
     * The service account the rule must target.
     *
     * @return the {@code svac_…} id, if configured
     */
    public Optional<String> serviceAccountId() {
        return Optional.ofNullable(serviceAccountId);
    }

    /**
     * The workspace, required when the rule covers several.
     *
     * @return the {@code wrkspc_…} id or {@code default}, if configured
     */
    public Optional<String> workspaceId() {
        return Optional.ofNullable(workspaceId);
    }

    /**
     * The API base URL; the token endpoint is {@code <baseUrl>/v1/oauth/token}.
     *
     * @return the base URL, without a trailing slash
     */
    public URI baseUrl() {
        return baseUrl;
    }

    /**
     * The profile the values came from.
     *
     * @return the profile name, if a profile file was read
     */
    public Optional<String> profile() {
        return Optional.ofNullable(profile);
    }

    /**
     * Where the values came from, e.g. {@code "environment"} or
     * {@code "profile 'prod' (/home/app/.config/anthropic/configs/prod.json)"}.
     *
     * @return a description for reports
     */
    public String source() {
        return source;
    }

    /**
     * The token endpoint.
     *
     * @return {@code <baseUrl>/v1/oauth/token}
     */
    public URI tokenEndpoint() {
        return URI.create(baseUrl + "/v1/oauth/token");
    }

    @Override
    public String toString() {
        return "FederationSettings[rule=" + federationRuleId + ", organization=" + organizationId
                + ", serviceAccount=" + serviceAccountId + ", workspace=" + workspaceId
                + ", baseUrl=" + baseUrl + ", source=" + source + "]";
    }
}
