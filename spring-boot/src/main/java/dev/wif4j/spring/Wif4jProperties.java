package dev.wif4j.spring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code wif4j.*} properties. Each is optional: what is not set comes from the environment
 * ({@code ANTHROPIC_FEDERATION_RULE_ID}, …, {@code WIF4J_*}) and the profile files, exactly as
 * {@code WorkloadIdentity.fromEnvironment()} reads them.
 */
@ConfigurationProperties(prefix = "wif4j")
public class Wif4jProperties {

    /**
     * Whether to configure workload identity federation. Unset: only when a federation rule or a
     * profile is named in these properties or in the environment (ANTHROPIC_FEDERATION_RULE_ID,
     * ANTHROPIC_PROFILE); true: always (for example when only the active profile file configures it);
     * false: never.
     */
    private Boolean enabled;

    /** The federation rule (fdrl_...); overrides ANTHROPIC_FEDERATION_RULE_ID. */
    private String federationRuleId;

    /** The organization UUID; overrides ANTHROPIC_ORGANIZATION_ID. */
    private String organizationId;

    /** The service account (svac_...); overrides ANTHROPIC_SERVICE_ACCOUNT_ID. */
    private String serviceAccountId;

    /** The workspace (wrkspc_... or default); overrides ANTHROPIC_WORKSPACE_ID. */
    private String workspaceId;

    /** The base URL of the token exchange; overrides ANTHROPIC_BASE_URL. https, or http to a loopback host. */
    private String baseUrl;

    /**
     * Origins besides the base URL's that may receive the access token, such as a gateway in front of the Claude
     * API: scheme://host[:port], https (http only to localhost, 127.0.0.1 or [::1]), no path; overrides
     * WIF4J_ALLOWED_ORIGINS. Requests to any other origin are refused before a token is attached.
     */
    private List<String> allowedOrigins = new ArrayList<>();

    /** The profile to read (configs/NAME.json in the config directory); overrides ANTHROPIC_PROFILE. */
    private String profile;

    /** The identity provider to use, skipping detection (gcp, azure, aws, k8s, github, file, ...); overrides WIF4J_PROVIDER. */
    private String provider;

    /**
     * Provider settings, winning over their system properties and WIF4J_* variables: keys such as
     * k8s.token.path, file.path or audience.
     */
    private Map<String, String> settings = new LinkedHashMap<>();

    /** Creates the properties, all unset. */
    public Wif4jProperties() {}

    /**
     * Whether federation is switched on or off explicitly.
     *
     * @return {@code null} when unset
     */
    public Boolean getEnabled() {
        return enabled;
    }

    /**
     * Switches federation on or off explicitly.
     *
     * @param enabled {@code null} to decide from the settings
     */
    public void setEnabled(Boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * The federation rule id.
     *
     * @return the id, or {@code null}
     */
    public String getFederationRuleId() {
        return federationRuleId;
    }

    /**
     * Sets the federation rule id.
     *
     * @param federationRuleId the id
     */
    public void setFederationRuleId(String federationRuleId) {
        this.federationRuleId = federationRuleId;
    }

    /**
     * The organization id.
     *
     * @return the id, or {@code null}
     */
    public String getOrganizationId() {
        return organizationId;
    }

    /**
     * Sets the organization id.
     *
     * @param organizationId the id
     */
    public void setOrganizationId(String organizationId) {
        this.organizationId = organizationId;
    }

    /**
     * The service account id.
     *
     * @return the id, or {@code null}
     */
    public String getServiceAccountId() {
        return serviceAccountId;
    }

    /**
     * Sets the service account id.
     *
     * @param serviceAccountId the id
     */
    public void setServiceAccountId(String serviceAccountId) {
        this.serviceAccountId = serviceAccountId;
    }

    /**
     * The workspace id.
     *
     * @return the id, or {@code null}
     */
    public String getWorkspaceId() {
        return workspaceId;
    }

    /**
     * Sets the workspace id.
     *
     * @param workspaceId the id
     */
    public void setWorkspaceId(String workspaceId) {
        this.workspaceId = workspaceId;
    }

    /**
     * The base URL.
     *
     * @return the URL, or {@code null}
     */
    public String getBaseUrl() {
        return baseUrl;
    }

    /**
     * Sets the base URL.
     *
     * @param baseUrl the URL
     */
    public void setBaseUrl(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /**
     * The origins allowed besides the base URL's.
     *
     * @return the origins, a mutable list; empty when unset
     */
    public List<String> getAllowedOrigins() {
        return allowedOrigins;
    }

    /**
     * Sets the origins allowed besides the base URL's.
     *
     * @param allowedOrigins each scheme://host[:port]
     */
    public void setAllowedOrigins(List<String> allowedOrigins) {
        this.allowedOrigins = allowedOrigins;
    }

    /**
     * The profile name.
     *
     * @return the name, or {@code null}
     */
    public String getProfile() {
        return profile;
    }

    /**
     * Sets the profile name.
     *
     * @param profile the name
     */
    public void setProfile(String profile) {
        this.profile = profile;
    }

    /**
     * The identity provider id.
     *
     * @return the id, or {@code null} to detect
     */
    public String getProvider() {
        return provider;
    }

    /**
     * Sets the identity provider id.
     *
     * @param provider the id
     */
    public void setProvider(String provider) {
        this.provider = provider;
    }

    /**
     * The provider settings.
     *
     * @return the settings, a mutable map
     */
    public Map<String, String> getSettings() {
        return settings;
    }

    /**
     * Replaces the provider settings.
     *
     * @param settings the settings
     */
    public void setSettings(Map<String, String> settings) {
        this.settings = settings;
    }
}
