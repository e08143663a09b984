package dev.wif4j.spring;

import dev.wif4j.DetectionReport;
import dev.wif4j.FederationSettings;
import dev.wif4j.WorkloadIdentity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;

/**
 * The {@code wif4j} entry of {@code /actuator/info}: the identity provider in use, the federation settings and
 * where they came from, and the detection report (every installed provider, its status and its evidence or
 * reason), as {@code wif4j detect} prints it. Read from what was decided at start-up: it never fetches an
 * identity token or exchanges one, and shows no token.
 */
public class WorkloadIdentityInfoContributor implements InfoContributor {
    private final WorkloadIdentity identity;

    /**
     * Creates the contributor.
     *
     * @param identity the workload identity
     */
    public WorkloadIdentityInfoContributor(WorkloadIdentity identity) {
        this.identity = Objects.requireNonNull(identity, "identity");
    }

    @Override
    public void contribute(Info.Builder builder) {
        FederationSettings settings = identity.settings();
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("provider", identity.providerId());
        info.put("federationRuleId", settings.federationRuleId());
        info.put("organizationId", settings.organizationId());
        settings.serviceAccountId().ifPresent(id -> info.put("serviceAccountId", id));
        settings.workspaceId().ifPresent(id -> info.put("workspaceId", id));
        info.put("baseUrl", settings.baseUrl().toString());
        info.put("settingsSource", settings.source());
        List<Map<String, Object>> detection = new ArrayList<>();
        for (DetectionReport.Entry entry : identity.detection().entries()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("provider", entry.id());
            row.put("priority", entry.priority());
            row.put("status", entry.status().name().toLowerCase(Locale.ROOT));
            row.put("detail", entry.message());
            row.put("implementation", entry.implementation());
            row.put("location", entry.location());
            detection.add(row);
        }
        info.put("detection", detection);
        builder.withDetail("wif4j", info);
    }
}
