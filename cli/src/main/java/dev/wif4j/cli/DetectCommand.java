package dev.wif4j.cli;

import dev.wif4j.DetectionReport;
import dev.wif4j.FederationSettings;
import dev.wif4j.IdentityProviderNotFoundException;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.WorkloadIdentityException;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code wif4j detect}. */
@Command(name = "detect", description = "Show every identity provider, whether it is available and why, the one "
        + "chosen, and the federation settings in force (no secret is shown). Exit 1 when nothing can be used.")
final class DetectCommand extends Subcommand {

    @Override
    public Integer call() {
        PrintWriter out = out();
        DetectionReport report = root.builder().detect();
        out.println("Identity providers:");
        report.toTable().lines().forEach(line -> out.println("  " + line));
        out.println(report.chosen().map(id -> "Chosen: " + id)
                .orElse("Chosen: none; see the reasons above."));
        out.println("Federation settings:");
        boolean complete;
        try (WorkloadIdentity identity = root.builder().build()) {
            FederationSettings s = identity.settings();
            row(out, "federation rule", s.federationRuleId());
            row(out, "organization", s.organizationId());
            row(out, "service account", s.serviceAccountId().orElse("(not set)"));
            row(out, "workspace", s.workspaceId().orElse("(not set: the rule's only workspace)"));
            row(out, "base URL", s.baseUrl().toString());
            row(out, "token endpoint", s.tokenEndpoint().toString());
            row(out, "from", s.source() + s.profile().map(p -> " (profile " + p + ")").orElse(""));
            complete = true;
        } catch (IdentityProviderNotFoundException e) {
            out.println("  complete, but not shown: no identity provider can be used");
            complete = false;
        } catch (WorkloadIdentityException e) {
            out.println("  incomplete: " + e.getMessage());
            complete = false;
        }
        return report.chosen().isPresent() && complete ? 0 : 1;
    }

    private static void row(PrintWriter out, String name, String value) {
        out.printf("  %-16s %s%n", name, value);
    }
}
