package dev.wif4j.testkit;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A federation rule as written in Anthropic's Console ({@code fdrl_...}): which tokens of an issuer it
 * accepts ({@code subject_prefix}, {@code audience}, exact {@code claims}, all ANDed), and what it grants
 * (service account, workspaces, scope, token lifetime). For {@link AnthropicEmulator#addRule}.
 */
public final class FederationRule {

    /** The service account a rule targets unless told otherwise. */
    public static final String DEFAULT_SERVICE_ACCOUNT = "svac_emulator";
    /** The workspace a rule covers unless told otherwise. */
    public static final String DEFAULT_WORKSPACE = "wrkspc_emulator";

    private final String issuerId;
    private String subjectPrefix;
    private String audience;
    private final Map<String, String> claims = new LinkedHashMap<>();
    private String serviceAccountId = DEFAULT_SERVICE_ACCOUNT;
    private List<String> workspaceIds = List.of(DEFAULT_WORKSPACE);
    private boolean allWorkspaces;
    private String scope = "workspace:developer";
    private Duration tokenLifetime = Duration.ofHours(1);

    private FederationRule(String issuerId) {
        this.issuerId = Objects.requireNonNull(issuerId, "issuerId");
    }

    /**
     * Starts a rule for an issuer registered with {@link AnthropicEmulator#addIssuer}.
     *
     * @param issuerId the issuer's {@code fdis_...} id
     * @return the rule
     */
    public static FederationRule forIssuer(String issuerId) {
        return new FederationRule(issuerId);
    }

    /**
     * Sets {@code match.subject_prefix}: the exact {@code sub}, or a prefix when it ends with {@code *}.
     *
     * @param prefix the subject or prefix
     * @return this rule
     */
    public FederationRule subjectPrefix(String prefix) {
        this.subjectPrefix = Objects.requireNonNull(prefix);
        return this;
    }

    /**
     * Sets {@code match.audience}: {@code aud} must equal it, or contain it when an array.
     *
     * @param audience the audience
     * @return this rule
     */
    public FederationRule audience(String audience) {
        this.audience = Objects.requireNonNull(audience);
        return this;
    }

    /**
     * Adds a {@code match.claims} entry: a top-level string claim with exactly this value.
     *
     * @param name the claim
     * @param value the value
     * @return this rule
     */
    public FederationRule claim(String name, String value) {
        claims.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
        return this;
    }

    /**
     * @param serviceAccountId the target service account ({@code svac_...})
     * @return this rule
     */
    public FederationRule serviceAccount(String serviceAccountId) {
        this.serviceAccountId = Objects.requireNonNull(serviceAccountId);
        return this;
    }

    /**
     * Sets the workspaces the rule covers; with more than one, a request must name one.
     *
     * @param workspaceIds {@code wrkspc_...} ids or {@code default}
     * @return this rule
     */
    public FederationRule workspaces(String... workspaceIds) {
        if (workspaceIds.length == 0) {
            throw new IllegalArgumentException("a rule covers at least one workspace");
        }
        this.workspaceIds = List.of(workspaceIds);
        this.allWorkspaces = false;
        return this;
    }

    /** @return this rule, applying to all workspaces (a request must then name one) */
    public FederationRule allWorkspaces() {
        this.allWorkspaces = true;
        return this;
    }

    /**
     * @param scope the OAuth scope granted, e.g. {@code workspace:inference}
     * @return this rule
     */
    public FederationRule scope(String scope) {
        this.scope = Objects.requireNonNull(scope);
        return this;
    }

    /**
     * Sets {@code token_lifetime_seconds}, 60 s to 24 h (default one hour).
     *
     * @param lifetime the lifetime of minted access tokens
     * @return this rule
     */
    public FederationRule tokenLifetime(Duration lifetime) {
        long seconds = lifetime.toSeconds();
        if (seconds < 60 || seconds > 86_400) {
            throw new IllegalArgumentException("token_lifetime_seconds must be 60 to 86400, not " + seconds);
        }
        this.tokenLifetime = lifetime;
        return this;
    }

    /** @return the issuer id */
    public String issuerId() {
        return issuerId;
    }

    /** @return {@code match.subject_prefix}, or {@code null} */
    public String subjectPrefix() {
        return subjectPrefix;
    }

    /** @return {@code match.audience}, or {@code null} */
    public String audience() {
        return audience;
    }

    /** @return {@code match.claims} */
    public Map<String, String> claims() {
        return Map.copyOf(claims);
    }

    /** @return the target service account */
    public String serviceAccountId() {
        return serviceAccountId;
    }

    /** @return the workspaces covered; empty when {@link #appliesToAllWorkspaces()} */
    public List<String> workspaceIds() {
        return allWorkspaces ? List.of() : workspaceIds;
    }

    /** @return whether the rule covers every workspace */
    public boolean appliesToAllWorkspaces() {
        return allWorkspaces;
    }

    /** @return the granted scope */
    public String scope() {
        return scope;
    }

    /** @return the lifetime of minted tokens */
    public Duration tokenLifetime() {
        return tokenLifetime;
    }

    @Override
    public String toString() {
        return "FederationRule[issuer=" + issuerId + ", subject_prefix=" + subjectPrefix + ", audience=" + audience
                + ", claims=" + claims + "]";
    }
}
