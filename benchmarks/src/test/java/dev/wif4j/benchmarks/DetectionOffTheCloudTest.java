package dev.wif4j.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.DetectionReport;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.testkit.AnthropicEmulator;
import dev.wif4j.testkit.AuthentikEmulator;
import dev.wif4j.testkit.AwsStsEmulator;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.GcpMetadataEmulator;
import dev.wif4j.testkit.GitHubActionsEmulator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * What {@code DetectionBenchmark} times, asserted: off the cloud, with every provider on the class path,
 * detection finds nothing and sends no request, neither through the context's HTTP client nor to any
 * of the emulators standing in for the services the providers know.
 */
class DetectionOffTheCloudTest {

    @Test
    void detectionWithEveryProviderInstalledMakesNoNetworkCall() {
        try (AnthropicEmulator anthropic = AnthropicEmulator.start();
                GcpMetadataEmulator gcp = GcpMetadataEmulator.start();
                AwsStsEmulator aws = AwsStsEmulator.start();
                AuthentikEmulator authentik = AuthentikEmulator.start();
                GitHubActionsEmulator github = GitHubActionsEmulator.start();
                FakeDetectionContext offTheCloud = FakeDetectionContext.builder().networkForbidden()
                        // Configured for Anthropic, and endpoints that are no sign of a cloud by themselves.
                        .env("ANTHROPIC_BASE_URL", anthropic.baseUrl())
                        .env("ANTHROPIC_ORGANIZATION_ID", anthropic.organizationId())
                        .env("AWS_ENDPOINT_URL_STS", aws.endpoint())
                        .build()) {
            DetectionReport report = WorkloadIdentity.builder().context(offTheCloud).detect();

            Set<String> asked = new TreeSet<>();
            report.entries().forEach(e -> asked.add(e.id()));
            assertTrue(asked.containsAll(Set.of("file", "literal", "github", "authentik", "gcp", "aws", "k8s", "azure")),
                    "every provider must be installed and asked: " + asked);
            assertFalse(report.chosen().isPresent(), "nothing is available off the cloud:\n" + report.toTable());
            report.entries().forEach(e -> assertEquals(DetectionReport.Status.UNAVAILABLE, e.status(), e.toString()));
            assertEquals(List.of(), offTheCloud.httpRequests(), "detection sent a request");
            assertEquals(List.of(), anthropic.tokenRequests());
            assertEquals(List.of(), gcp.requests());
            assertEquals(List.of(), aws.requests());
            assertEquals(List.of(), authentik.requests());
            assertEquals(List.of(), github.requests());
        }
    }
}
