package dev.wif4j.provider.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.DetectionReport;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.WorkloadIdentityBuilder;
import dev.wif4j.testkit.FakeDetectionContext;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * However the user pins azure ({@code WIF4J_PROVIDER=azure}, {@code builder().provider("azure")}, or
 * {@code wif4j --provider azure}, which is {@code builder().provider("azure", "--provider")}), a container on an
 * Azure VM that sees no Azure signal gets the same verdict: available, IMDS asked at fetch time.
 */
class AzurePinningTest {

    private static FakeDetectionContext.Builder container() {
        // No DMI data, no Azure variable: only the resource is configured.
        return FakeDetectionContext.builder().networkForbidden().env("WIF4J_AZURE_RESOURCE", AzureEndToEndTest.RESOURCE);
    }

    private static DetectionReport.Entry azureEntry(FakeDetectionContext context,
            Function<WorkloadIdentityBuilder, WorkloadIdentityBuilder> pin) {
        try (context) {
            DetectionReport report = pin.apply(WorkloadIdentity.builder().context(context)).detect();
            assertEquals(List.of(), context.httpRequests(), "detection made a network call");
            return report.entries().stream().filter(e -> e.id().equals("azure")).findFirst().orElseThrow();
        }
    }

    @Test
    @DisplayName("WIF4J_PROVIDER=azure, builder().provider(\"azure\") and --provider azure give the same report entry")
    void everyWayOfPinningIsAlike() {
        DetectionReport.Entry variable = azureEntry(container().env("WIF4J_PROVIDER", "azure").build(), b -> b);
        DetectionReport.Entry code = azureEntry(container().build(), b -> b.provider("azure"));
        DetectionReport.Entry option = azureEntry(container().build(), b -> b.provider("azure", "--provider"));

        assertEquals(DetectionReport.Status.CHOSEN, variable.status(), variable.toString());
        assertTrue(variable.message().contains("pinned") && variable.message().contains("IMDS"), variable.message());
        for (DetectionReport.Entry other : List.of(code, option)) {
            assertEquals(variable.status(), other.status(), other.toString());
            assertEquals(variable.message(), other.message());
        }
    }

    @Test
    @DisplayName("not pinned, the same container: azure is unavailable, naming what it looked for")
    void unpinnedIsUnavailable() {
        DetectionReport.Entry entry = azureEntry(container().build(), b -> b);
        assertEquals(DetectionReport.Status.UNAVAILABLE, entry.status(), entry.toString());
        assertTrue(entry.message().contains("WIF4J_PROVIDER=azure"), entry.message());
    }
}
