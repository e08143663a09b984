package dev.wif4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.ConfigurationException;
import dev.wif4j.DetectionReport;
import dev.wif4j.IdentityProviderNotFoundException;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.WorkloadIdentityBuilder;
import dev.wif4j.spi.Detection;
import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.IdentityProvider;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.testkit.FakeDetectionContext;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** Detection order, the report, and the fixed messages users see, in full. */
class DetectionTest {
    static final String ORG = "123e4567-e89b-12d3-a456-426614174000";

    /** A provider whose verdict a test sets. */
    record Stub(String id, int priority, Detection verdict) implements IdentityProvider {
        @Override
        public Detection detect(DetectionContext context) {
            return verdict;
        }

        @Override
        public IdentityTokenSource open(DetectionContext context) {
            return () -> {
                throw new AssertionError("not fetched in these tests");
            };
        }
    }

    /** A provider whose detect breaks its contract. */
    static final class Throwing implements IdentityProvider {
        @Override
        public String id() {
            return "acme-broken";
        }

        @Override
        public Detection detect(DetectionContext context) {
            throw new IllegalStateException("vault agent socket missing");
        }

        @Override
        public IdentityTokenSource open(DetectionContext context) {
            throw new AssertionError("never opened");
        }
    }

    private static FakeDetectionContext.Builder configured() {
        return FakeDetectionContext.builder()
                .env("ANTHROPIC_FEDERATION_RULE_ID", "fdrl_detect")
                .env("ANTHROPIC_ORGANIZATION_ID", ORG)
                .systemProperty("user.home", "/home/app");
    }

    private static WorkloadIdentityBuilder builder(FakeDetectionContext context, IdentityProvider... providers) {
        WorkloadIdentityBuilder b = WorkloadIdentity.builder().context(context);
        for (IdentityProvider p : providers) {
            b.addProvider(p);
        }
        return b;
    }

    @Test
    void highestPriorityWinsThenIdAndTheOthersAreNamedInTheLog() {
        List<String> logged = captureLog("dev.wif4j.internal.discovery.Detector", () -> {
            try (WorkloadIdentity identity = builder(configured().build(),
                    new Stub("acme-b", 5, Detection.available("b here")),
                    new Stub("acme-a", 5, Detection.available("a here")),
                    new Stub("acme-low", 1, Detection.available("low here")),
                    new Stub("acme-off", 9, Detection.unavailable("off here"))).build()) {
                assertEquals("acme-a", identity.providerId(), "equal priority: the id that sorts first");
                List<DetectionReport.Entry> entries = identity.detection().entries();
                assertEquals(List.of("acme-a", "acme-b", "acme-low", "file", "literal", "acme-off"),
                        entries.stream().map(DetectionReport.Entry::id).toList());
                assertEquals(DetectionReport.Status.CHOSEN, entries.get(0).status());
                assertEquals(DetectionReport.Status.AVAILABLE, entries.get(1).status());
            }
        });
        assertEquals(List.of("Using identity provider 'acme-a' (priority 5); also available: acme-b (priority 5), "
                + "acme-low (priority 1). Set WIF4J_PROVIDER to use another."), logged);
    }

    @Test
    void tokenFileVariableComesBeforeEveryDetectedProvider() {
        try (WorkloadIdentity identity = builder(configured().env("ANTHROPIC_IDENTITY_TOKEN_FILE", "/t").build(),
                new Stub("acme-top", 1000, Detection.available("here"))).build()) {
            assertEquals("file", identity.providerId());
            DetectionReport.Entry skipped = identity.detection().entries().stream()
                    .filter(e -> e.id().equals("acme-top")).findFirst().orElseThrow();
            assertEquals(DetectionReport.Status.SKIPPED, skipped.status());
            assertEquals("not asked: the file provider (ANTHROPIC_IDENTITY_TOKEN_FILE) takes precedence",
                    skipped.message());
        }
    }

    @Test
    void noneAvailableListsEveryProviderAndReason() {
        IdentityProviderNotFoundException e = assertThrows(IdentityProviderNotFoundException.class,
                () -> builder(configured().env("WIF4J_DISABLED_PROVIDERS", "acme-off").build(),
                        new Stub("acme-one", 3, Detection.unavailable("ACME_ONE_TOKEN is not set")),
                        new Stub("acme-off", 0, Detection.available("would be here")),
                        new Throwing()).build());
        String location = e.report().entries().stream().filter(x -> x.id().equals("acme-one")).findFirst()
                .orElseThrow().location();
        assertEquals("No identity provider is available here. Providers tried:\n"
                + "  - file (wif4j-core): ANTHROPIC_IDENTITY_TOKEN_FILE is not set\n"
                + "  - literal (wif4j-core): ANTHROPIC_IDENTITY_TOKEN is not set\n"
                + "  - acme-one (" + location + "): ACME_ONE_TOKEN is not set\n"
                + "  - acme-broken (" + location + "): its detect() threw java.lang.IllegalStateException: vault agent "
                + "socket missing (a bug in dev.wif4j.it.DetectionTest$Throwing)\n"
                + "  - acme-off (" + location + "): listed in WIF4J_DISABLED_PROVIDERS\n"
                + "Fix one of the reasons above, or set WIF4J_PROVIDER to the provider you expect to see its error.",
                e.getMessage());
        assertEquals(DetectionReport.Status.DISABLED, e.report().entries().get(4).status());
    }

    @Test
    void onlyBuiltInsInstalledSaysAProviderJarIsMissing() {
        IdentityProviderNotFoundException e = assertThrows(IdentityProviderNotFoundException.class,
                () -> builder(configured().build()).build());
        assertEquals("No identity source found: only wif4j-core is installed, and neither ANTHROPIC_IDENTITY_TOKEN_FILE "
                + "nor ANTHROPIC_IDENTITY_TOKEN is set. Add the provider artifact for where this runs "
                + "(wif4j-provider-aws, wif4j-provider-azure, wif4j-provider-gcp, wif4j-provider-k8s, "
                + "wif4j-provider-github or wif4j-provider-authentik; versions come from wif4j-bom), or set "
                + "ANTHROPIC_IDENTITY_TOKEN_FILE to a file holding an OIDC identity token.", e.getMessage());
    }

    @Test
    void explicitChoiceUsesThatProviderAloneAndExplainsWhyItCannot() {
        try (WorkloadIdentity identity = builder(configured().env("WIF4J_PROVIDER", "acme-low").build(),
                new Stub("acme-high", 50, Detection.available("here")),
                new Stub("acme-low", 1, Detection.available("here too"))).build()) {
            assertEquals("acme-low", identity.providerId());
        }
        IdentityProviderNotFoundException e = assertThrows(IdentityProviderNotFoundException.class,
                () -> builder(configured().systemProperty("wif4j.provider", "acme-low").build(),
                        new Stub("acme-low", 1, Detection.unavailable("ACME_LOW_URL is not set"))).build());
        assertEquals("wif4j.provider is 'acme-low', but that provider is not available here: ACME_LOW_URL is not set",
                e.getMessage());
        e = assertThrows(IdentityProviderNotFoundException.class,
                () -> builder(configured().build()).provider("acme-vault").build());
        assertTrue(e.getMessage().startsWith("The provider chosen in code is 'acme-vault', but no installed provider "
                + "has that id. Installed providers: file, literal. "), e.getMessage());
    }

    @Test
    void malformedChoiceAndChosenButDisabledAreConfigurationErrors() {
        assertEquals("WIF4J_PROVIDER is 'GCP!', which is not a provider id: ids are lower-case letters, digits and "
                + "dashes, starting with a letter (for example 'gcp' or 'acme-vault').",
                assertThrows(ConfigurationException.class,
                        () -> builder(configured().env("WIF4J_PROVIDER", "GCP!").build()).build()).getMessage());
        assertEquals("WIF4J_PROVIDER is 'file', but WIF4J_DISABLED_PROVIDERS also lists it: remove it from one of them.",
                assertThrows(ConfigurationException.class, () -> builder(configured().env("WIF4J_PROVIDER", "file")
                        .env("WIF4J_DISABLED_PROVIDERS", "file, literal").build()).build()).getMessage());
    }

    @Test
    void reservedAndInvalidIdsAreRefusedNamingTheClass() {
        String reserved = assertThrows(ConfigurationException.class, () -> builder(configured().build(),
                new Stub("gcp", 0, Detection.available("x"))).build()).getMessage();
        assertTrue(reserved.startsWith("Identity provider dev.wif4j.it.DetectionTest$Stub ("), reserved);
        assertTrue(reserved.endsWith(") claims the id 'gcp', which is reserved for wif4j's own wif4j-provider-gcp: "
                + "give it an id of its own, such as 'acme-gcp'."), reserved);
        String invalid = assertThrows(ConfigurationException.class, () -> builder(configured().build(),
                new Stub("Acme Vault", 0, Detection.available("x"))).build()).getMessage();
        assertTrue(invalid.endsWith("has the id 'Acme Vault': ids are lower-case letters, digits and dashes, starting "
                + "with a letter, at most 63 characters."), invalid);
    }

    @Test
    void aSupplierGivenInCodeIsReportedByWhatItIsNotAsAnAnonymousClass() {
        try (WorkloadIdentity identity = builder(configured().build()).identityTokenSupplier(() -> "unused").build()) {
            DetectionReport.Entry entry = identity.detection().entries().get(0);
            assertEquals("code", identity.providerId());
            assertEquals("dev.wif4j.internal.provider.SupplierIdentityTokenSource", entry.implementation());
            assertEquals("application code", entry.location());
        }
    }

    private static List<String> captureLog(String name, Runnable action) {
        Logger logger = Logger.getLogger(name);
        List<String> messages = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                messages.add(record.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        logger.addHandler(handler);
        try {
            action.run();
        } finally {
            logger.removeHandler(handler);
        }
        return messages;
    }
}
