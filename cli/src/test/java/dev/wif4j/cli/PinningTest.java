package dev.wif4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.DetectionReport;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.testkit.FakeDetectionContext;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pinning a provider is one thing however the user does it: {@code WIF4J_PROVIDER=X},
 * {@code WorkloadIdentity.builder().provider("X")} and {@code wif4j --provider X} give the provider the same
 * pinned context, so the same verdict, the same report entry and the same exit code. Each provider is
 * pinned in a world without its signals (where the verdict can depend on being pinned, as Azure's does) and
 * with no network.
 */
class PinningTest {

    private static final List<String> IDS = List.of("aws", "azure", "gcp", "k8s", "github", "authentik", "ci",
            "spiffe", "file", "literal");

    private static FakeDetectionContext.Builder world() {
        return FakeDetectionContext.builder().networkForbidden();
    }

    private static DetectionReport.Entry entry(DetectionReport report, String id) {
        return report.entries().stream().filter(e -> e.id().equals(id)).findFirst().orElseThrow();
    }

    private static String detect(FakeDetectionContext context, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err), context);
        return code + "\n" + out + err;
    }

    @ParameterizedTest
    @ValueSource(strings = {"aws", "azure", "gcp", "k8s", "github", "authentik", "ci", "spiffe", "file", "literal"})
    void variableBuilderAndOptionPinAlike(String id) {
        assertTrue(IDS.contains(id));
        try (FakeDetectionContext byVariable = world().env("WIF4J_PROVIDER", id).build();
                FakeDetectionContext plain = world().build()) {
            DetectionReport fromVariable = WorkloadIdentity.builder().context(byVariable).detect();
            DetectionReport fromBuilder = WorkloadIdentity.builder().context(plain).provider(id).detect();
            DetectionReport.Entry variableEntry = entry(fromVariable, id);
            DetectionReport.Entry builderEntry = entry(fromBuilder, id);
            assertEquals(variableEntry.status(), builderEntry.status(), id);
            assertEquals(variableEntry.message(), builderEntry.message(), id);
            assertEquals(fromVariable.chosen(), fromBuilder.chosen(), id);

            String withVariable = detect(byVariable, "detect");
            String withOption = detect(plain, "--provider", id, "detect");
            assertEquals(withVariable.replace("WIF4J_PROVIDER", "--provider"), withOption,
                    "wif4j detect: WIF4J_PROVIDER=" + id + " and --provider " + id + " differ");
            assertTrue(byVariable.httpRequests().isEmpty() && plain.httpRequests().isEmpty(),
                    "a pinned provider is not probed while detecting");
        }
    }
}
