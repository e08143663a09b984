package dev.wif4j.provider.gcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.DetectionReport;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.spi.Detection;
import dev.wif4j.spi.IdentityProvider;
import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.spi.support.SettingException;
import dev.wif4j.testkit.AnthropicEmulator;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.Fault;
import dev.wif4j.testkit.FederationIssuer;
import dev.wif4j.testkit.FederationRule;
import dev.wif4j.testkit.GcpMetadataEmulator;
import dev.wif4j.testkit.IdentityProviderContract;
import dev.wif4j.testkit.RecordedRequest;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The {@code gcp} provider against the metadata-server emulator, through fake contexts. */
class GcpIdentityProviderTest extends IdentityProviderContract {
    @AutoClose
    static final GcpMetadataEmulator gcp = GcpMetadataEmulator.start();

    @AfterEach
    void reset() {
        gcp.answerWithoutMetadataFlavor(false);
    }

    @Override
    protected IdentityProvider provider() {
        return new GcpIdentityProvider();
    }

    /** A Cloud Run service whose metadata server is the emulator. */
    @Override
    protected FakeDetectionContext availableContext() {
        return cloudRun().build();
    }

    private static FakeDetectionContext.Builder cloudRun() {
        return FakeDetectionContext.builder().env("K_SERVICE", "billing").env("K_REVISION", "billing-00042-xiz")
                .env(gcp.environment());
    }

    /**
     * A bad setting or credentials file: detect lets the {@link SettingException} propagate (the SPI's rule), and
     * detection reports the provider unavailable with its message.
     */
    private static Detection detectedWithBadSetting(FakeDetectionContext context) {
        String thrown = assertThrows(SettingException.class, () -> new GcpIdentityProvider().detect(context))
                .getMessage();
        DetectionReport.Entry entry = WorkloadIdentity.builder().context(context).provider("gcp").detect().entries()
                .get(0);
        assertEquals(DetectionReport.Status.UNAVAILABLE, entry.status());
        assertEquals(thrown, entry.message());
        return Detection.unavailable(entry.message());
    }

    private static RecordedRequest lastRequest() {
        List<RecordedRequest> requests = gcp.requests();
        return requests.get(requests.size() - 1);
    }

    private static int requestCount() {
        return gcp.requests().size();
    }

    @Test
    @DisplayName("Cloud Run: K_SERVICE and a metadata server that answers with Metadata-Flavor: Google")
    void cloudRunIsDetected() {
        try (FakeDetectionContext context = availableContext()) {
            Detection detection = provider().detect(context);
            assertTrue(detection.isAvailable(), detection.message());
            assertEquals("Cloud Run (K_SERVICE=billing, K_REVISION=billing-00042-xiz), GCE_METADATA_HOST is "
                    + gcp.host() + "; metadata server " + gcp.host() + " answered (HTTP 200)", detection.message());
            assertEquals(List.of(URI.create(gcp.baseUrl() + "/computeMetadata/v1/")), context.httpRequests());
            assertEquals("Google", lastRequest().header("Metadata-Flavor").orElseThrow());
        }
    }

    @Test
    @DisplayName("Compute Engine: the DMI product name starts with Google, and the probe confirms it")
    void computeEngineViaDmi() {
        try (FakeDetectionContext context = FakeDetectionContext.builder()
                .file("/sys/class/dmi/id/product_name", "Google Compute Engine\n").env(gcp.environment()).build()) {
            Detection detection = provider().detect(context);
            assertTrue(detection.isAvailable(), detection.message());
            assertTrue(detection.message().startsWith("Compute Engine (/sys/class/dmi/id/product_name: Google Compute "
                    + "Engine)"), detection.message());
            assertEquals(1, context.httpRequests().size());
        }
        // With probes off (a pinned provider), the DMI alone is enough and nothing is asked.
        try (FakeDetectionContext context = FakeDetectionContext.builder().networkForbidden().probesAllowed(false)
                .file("/sys/class/dmi/id/product_name", "Google Compute Engine\n").build()) {
            Detection detection = provider().detect(context);
            assertTrue(detection.isAvailable(), detection.message());
            assertTrue(detection.message().endsWith("metadata server metadata.google.internal not probed (probes are "
                    + "off)"), detection.message());
            assertEquals(List.of(), context.httpRequests());
        }
    }

    @Test
    @DisplayName("another machine's DMI product name is no signal")
    void otherDmiIsNoSignal() {
        try (FakeDetectionContext context = FakeDetectionContext.builder().networkForbidden()
                .file("/sys/class/dmi/id/product_name", "Virtual Machine\n").build()) {
            assertFalse(provider().detect(context).isAvailable());
            assertEquals(List.of(), context.httpRequests());
        }
    }

    @Test
    @DisplayName("no signal: unavailable, the reason lists what was looked for, and no network call is made")
    void noSignals() {
        try (FakeDetectionContext context = FakeDetectionContext.builder().networkForbidden().build()) {
            Detection detection = provider().detect(context);
            assertFalse(detection.isAvailable());
            assertEquals("no Google Cloud signal: K_SERVICE/K_REVISION (Cloud Run), FUNCTION_TARGET (Cloud Functions), "
                    + "GAE_SERVICE (App Engine), GCE_METADATA_HOST and GOOGLE_APPLICATION_CREDENTIALS are unset, and "
                    + "/sys/class/dmi/id/product_name does not start with Google (not Compute Engine or GKE)",
                    detection.message());
            assertEquals(List.of(), context.httpRequests());
        }
    }

    @Test
    @DisplayName("NO_GCE_CHECK=true skips the probe: a platform signal is enough, a metadata host alone is not")
    void noGceCheck() {
        int before = requestCount();
        try (FakeDetectionContext context = cloudRun().env("NO_GCE_CHECK", "true").networkForbidden().build()) {
            Detection detection = provider().detect(context);
            assertTrue(detection.isAvailable(), detection.message());
            assertTrue(detection.message().endsWith("not probed (NO_GCE_CHECK=true)"), detection.message());
            assertEquals(List.of(), context.httpRequests());
        }
        try (FakeDetectionContext context = FakeDetectionContext.builder().env(gcp.environment())
                .env("NO_GCE_CHECK", "true").networkForbidden().build()) {
            Detection detection = provider().detect(context);
            assertFalse(detection.isAvailable());
            assertEquals("GCE_METADATA_HOST is " + gcp.host() + ", but NO_GCE_CHECK=true turns off the probe that "
                    + "would confirm a metadata server there, and no Google Cloud platform signal is set: unset "
                    + "NO_GCE_CHECK, or choose the provider with WIF4J_PROVIDER=gcp", detection.message());
            assertEquals(List.of(), context.httpRequests());
        }
        assertEquals(before, requestCount());
    }

    @Test
    @DisplayName("a probe answered without Metadata-Flavor: Google is not a metadata server: a proxy is in the way")
    void probeWithoutHeader() {
        gcp.answerWithoutMetadataFlavor(true);
        try (FakeDetectionContext context = availableContext()) {
            Detection detection = provider().detect(context);
            assertFalse(detection.isAvailable());
            assertTrue(detection.message().endsWith("but http://" + gcp.host() + "/computeMetadata/v1/ answered HTTP "
                    + "200 without the Metadata-Flavor: Google header: something other than the metadata server "
                    + "answers there (an HTTP proxy or a firewall in the way); reach the metadata server directly"),
                    detection.message());
        }
    }

    @Test
    @DisplayName("a metadata server slower than the probe timeout makes detection say so")
    void slowProbe() {
        gcp.enqueue(Fault.delay(Duration.ofSeconds(3)));
        try (FakeDetectionContext context = cloudRun().probeTimeout(Duration.ofMillis(200)).build()) {
            Detection detection = provider().detect(context);
            assertFalse(detection.isAvailable());
            assertTrue(detection.message().contains("but the metadata server at " + gcp.host() + " did not answer "
                    + "within 200 ms"), detection.message());
        }
    }

    @Test
    @DisplayName("a metadata host with a scheme is refused with the fix")
    void hostWithScheme() {
        try (FakeDetectionContext context = FakeDetectionContext.builder().networkForbidden()
                .env("GCE_METADATA_HOST", "http://" + gcp.host()).build()) {
            Detection detection = detectedWithBadSetting(context);
            assertFalse(detection.isAvailable());
            assertEquals("GCE_METADATA_HOST is 'http://" + gcp.host() + "', but that is not host[:port]: leave out the "
                    + "scheme (the metadata server speaks plain http).", detection.message());
        }
    }

    @Test
    @DisplayName("format=full by default: the token carries email and google.compute_engine, for the audience")
    void formatFullByDefault() {
        IdentityToken token = fetchOnce(availableContext());
        RecordedRequest request = lastRequest();
        assertEquals("/computeMetadata/v1/instance/service-accounts/default/identity?format=full"
                + "&audience=https://api.anthropic.com", request.path());
        assertEquals("Google", request.header("Metadata-Flavor").orElseThrow());
        assertEquals(GcpMetadataEmulator.GOOGLE_ISSUER, token.issuer().orElseThrow());
        assertEquals(gcp.serviceAccountUniqueId(), token.subject().orElseThrow());
        assertEquals(gcp.serviceAccountEmail(), token.stringClaim("email").orElseThrow());
        assertEquals(List.of("https://api.anthropic.com"), token.audience());
        Map<?, ?> google = (Map<?, ?>) token.claims().get("google");
        Map<?, ?> computeEngine = (Map<?, ?>) google.get("compute_engine");
        assertEquals("acme-prod", computeEngine.get("project_id"));
        assertEquals("vm-1", computeEngine.get("instance_name"));
    }

    @Test
    @DisplayName("gcp.audience, gcp.format=standard and gcp.licenses=true reach the metadata server")
    void settingsReachTheRequest() {
        try (FakeDetectionContext context = cloudRun().setting("gcp.audience", "api://claude")
                .setting("gcp.format", "standard").build();
                IdentityTokenSource source = provider().open(context)) {
            IdentityToken token = source.fetch();
            assertEquals("/computeMetadata/v1/instance/service-accounts/default/identity?audience=api://claude",
                    lastRequest().path());
            assertEquals(List.of("api://claude"), token.audience());
            assertTrue(token.stringClaim("email").isEmpty(), "format=standard has no email");
            assertTrue(context.logLines().stream().anyMatch(l -> l.contains("no email claim because gcp.format is "
                    + "standard") && l.contains("WIF4J_GCP_FORMAT=full")), context.logLines().toString());
        }
        IdentityToken licensed = fetchOnce(cloudRun().env("WIF4J_GCP_LICENSES", "true").build());
        assertTrue(lastRequest().path().contains("licenses=TRUE"), lastRequest().path());
        Map<?, ?> computeEngine = (Map<?, ?>) ((Map<?, ?>) licensed.claims().get("google")).get("compute_engine");
        assertEquals(List.of("1000201"), computeEngine.get("license_id"));
    }

    @Test
    @DisplayName("an unknown gcp.format is refused in detect and open, with the values that work")
    void badFormat() {
        try (FakeDetectionContext context = cloudRun().env("WIF4J_GCP_FORMAT", "compact").networkForbidden().build()) {
            Detection detection = detectedWithBadSetting(context);
            assertFalse(detection.isAvailable());
            assertEquals("WIF4J_GCP_FORMAT is 'compact', but it must be full (the default; adds email) or standard.",
                    detection.message());
            assertEquals(List.of(), context.httpRequests());
        }
    }

    @Test
    @DisplayName("the first token is described with the sub and email a rule should pin")
    void claimsAreDescribed() {
        try (FakeDetectionContext context = availableContext();
                IdentityTokenSource source = provider().open(context)) {
            source.fetch();
            source.fetch();
            List<String> described = context.logLines().stream().filter(l -> l.contains("narrow federation rule"))
                    .toList();
            assertEquals(1, described.size(), context.logLines().toString());
            assertTrue(described.get(0).contains("pins claims.sub=" + gcp.serviceAccountUniqueId() + " and claims.email="
                    + gcp.serviceAccountEmail() + " with audience https://api.anthropic.com"), described.get(0));
        }
    }

    @Test
    @DisplayName("a 404 from the metadata server means no service account is attached, and says how to attach one")
    void notFound() {
        gcp.enqueue(Fault.response(404, "text/html", "Not Found"));
        IdentityTokenException e = fetchFailure(availableContext());
        assertFalse(e.isRetryable());
        assertTrue(e.getMessage().startsWith("The metadata server at " + gcp.host() + " has no identity for this "
                + "workload (HTTP 404): no service account is attached."), e.getMessage());
    }

    @Test
    @DisplayName("a token without email although format=full was asked is an error that explains format=full")
    void tokenWithoutEmail() {
        String standard = gcp.issuer().mint().issuer(GcpMetadataEmulator.GOOGLE_ISSUER)
                .subject(gcp.serviceAccountUniqueId()).sign();
        gcp.enqueue(Fault.response(200, "text/html", standard));
        IdentityTokenException e = fetchFailure(availableContext());
        assertFalse(e.isRetryable());
        assertTrue(e.getMessage().contains("returned an identity token without an email claim although wif4j asked "
                + "for format=full. Only format=full tokens carry email"), e.getMessage());
        assertFalse(e.getMessage().contains(standard));
    }

    @Test
    @DisplayName("a token answer without Metadata-Flavor: Google is refused: a proxy is in the way")
    void fetchWithoutHeader() {
        int before = requestCount();
        gcp.answerWithoutMetadataFlavor(true);
        IdentityTokenException e = fetchFailure(availableContext());
        assertFalse(e.isRetryable());
        assertEquals("The metadata server at " + gcp.host() + " answered HTTP 200 without the Metadata-Flavor: Google "
                + "header: whatever answered is not the metadata server (an HTTP proxy, a firewall or a captive portal "
                + "in the way). The metadata server must be reached directly; check GCE_METADATA_HOST and the network "
                + "path to " + gcp.host() + ".", e.getMessage());
        assertEquals(before + 1, requestCount(), "not retried");
    }

    @Test
    @DisplayName("a fetch is one request: a 503 fails it at once, retryable, and wif4j's retry then succeeds")
    void serviceUnavailable() throws Exception {
        int before = requestCount();
        gcp.enqueue(Fault.status(503, ""));
        IdentityTokenException e = fetchFailure(availableContext());
        assertTrue(e.isRetryable());
        assertTrue(e.getMessage().startsWith("The metadata server at " + gcp.host() + " is unavailable"),
                e.getMessage());
        assertEquals(before + 1, requestCount(), "neither the library nor the provider retried");

        try (GcpMetadataEmulator own = GcpMetadataEmulator.start(); AnthropicEmulator anthropic = AnthropicEmulator.start();
                FakeDetectionContext context = exchanging(own, anthropic).build();
                WorkloadIdentity identity = WorkloadIdentity.builder().context(context).build()) {
            own.enqueue(Fault.status(503, ""));
            assertEquals(200, anthropic.callMessages(identity.credentials().token()));
            assertEquals(2, identityRequests(own), "one failed fetch, then wif4j's second attempt");
        }
    }

    @Test
    @DisplayName("a metadata server failing with 503 every time: one token() asks it 3 times and fails in < 30 s")
    void persistentOutageIsBounded() throws Exception {
        try (GcpMetadataEmulator own = GcpMetadataEmulator.start(); AnthropicEmulator anthropic = AnthropicEmulator.start();
                FakeDetectionContext context = exchanging(own, anthropic).build();
                WorkloadIdentity identity = WorkloadIdentity.builder().context(context).build()) {
            int before = own.requests().size(); // detection's probe
            for (int i = 0; i < 20; i++) {
                own.enqueue(Fault.status(503, ""));
            }
            IdentityTokenException e = assertTokenFailsInBound(identity);
            assertTrue(e.getMessage().startsWith("The metadata server at " + own.host() + " is unavailable"),
                    e.getMessage());
            assertEquals(3, own.requests().size() - before, "one request per fetch, three fetches: " + own.requests());
            assertEquals(0, anthropic.exchangeRequests());
        }
    }

    @Test
    @DisplayName("a metadata server slower than the fetch timeout fails the fetch in time; wif4j's next attempt succeeds")
    void slowAnswerIsBoundedByTheFetchTimeout() throws Exception {
        gcp.enqueue(Fault.delay(Duration.ofSeconds(3)));
        long start = System.nanoTime();
        IdentityTokenException e = fetchFailure(cloudRun().fetchTimeout(Duration.ofMillis(300)).build());
        assertTrue(e.isRetryable(), e.getMessage());
        assertTrue(e.getMessage().startsWith("the metadata server at " + gcp.host() + " did not answer"), e.getMessage());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(2)) < 0);

        try (GcpMetadataEmulator own = GcpMetadataEmulator.start(); AnthropicEmulator anthropic = AnthropicEmulator.start();
                FakeDetectionContext context = exchanging(own, anthropic).fetchTimeout(Duration.ofMillis(300)).build();
                WorkloadIdentity identity = WorkloadIdentity.builder().context(context).build()) {
            own.enqueue(Fault.delay(Duration.ofSeconds(3)));
            assertEquals(200, anthropic.callMessages(identity.credentials().token()));
            assertEquals(2, identityRequests(own));
        }
    }

    /** A Cloud Run service whose metadata server is {@code own} and whose Anthropic trusts its account. */
    private static FakeDetectionContext.Builder exchanging(GcpMetadataEmulator own, AnthropicEmulator anthropic) {
        String issuerId = anthropic.addIssuer(FederationIssuer.explicitUrl(GcpMetadataEmulator.GOOGLE_ISSUER,
                own.issuer().jwksUri()));
        String ruleId = anthropic.addRule(FederationRule.forIssuer(issuerId).subjectPrefix(own.serviceAccountUniqueId())
                .audience("https://api.anthropic.com"));
        return FakeDetectionContext.builder().env("K_SERVICE", "billing").env(own.environment())
                .env(anthropic.environment()).env("ANTHROPIC_FEDERATION_RULE_ID", ruleId);
    }

    private static long identityRequests(GcpMetadataEmulator emulator) {
        return emulator.requests().stream().filter(r -> r.path().contains("/identity?")).count();
    }

    @Test
    @DisplayName("pinned: a metadata host alone is enough despite NO_GCE_CHECK; no signal at all is still unavailable")
    void pinned() {
        try (FakeDetectionContext context = FakeDetectionContext.builder().env(gcp.environment())
                .env("NO_GCE_CHECK", "true").pinned(true).networkForbidden().build()) {
            Detection detection = provider().detect(context);
            assertTrue(detection.isAvailable(), detection.message());
            assertEquals("GCE_METADATA_HOST is " + gcp.host() + "; metadata server " + gcp.host() + " not probed "
                    + "(NO_GCE_CHECK=true)", detection.message());
        }
        try (FakeDetectionContext context = FakeDetectionContext.builder().pinned(true).networkForbidden().build()) {
            Detection detection = provider().detect(context);
            assertFalse(detection.isAvailable(), detection.message());
            assertTrue(detection.message().startsWith("no Google Cloud signal: "), detection.message());
            assertEquals(List.of(), context.httpRequests());
        }
    }

    @Test
    @DisplayName("WIF4J_PROVIDER=gcp and builder().provider(\"gcp\") give the same report entry, with and without signals")
    void pinnedAlikeWithTheseSignals() {
        for (Map<String, String> env : List.of(Map.<String, String>of(), Map.of("K_SERVICE", "billing"),
                Map.of("GCE_METADATA_HOST", gcp.host(), "NO_GCE_CHECK", "true"),
                Map.of("WIF4J_GCP_FORMAT", "compact", "K_SERVICE", "billing"))) {
            // The whole entry, location and implementation included: only how the choice was made differs.
            assertEquals(pinnedEntry(env, "gcp", true), pinnedEntry(env, "gcp", false), env.toString());
        }
    }

    @Test
    @DisplayName("GOOGLE_APPLICATION_CREDENTIALS with a service-account key: the library's IdTokenProvider mints")
    void serviceAccountKey() {
        int before = requestCount();
        try (FakeDetectionContext context = FakeDetectionContext.builder()
                .env("GOOGLE_APPLICATION_CREDENTIALS", "/secrets/key.json")
                .file("/secrets/key.json", gcp.serviceAccountKeyJson()).networkForbidden().build()) {
            Detection detection = provider().detect(context);
            assertTrue(detection.isAvailable(), detection.message());
            assertEquals("GOOGLE_APPLICATION_CREDENTIALS is /secrets/key.json (service_account for "
                    + gcp.serviceAccountEmail() + "); ID tokens for https://api.anthropic.com are minted through it",
                    detection.message());
            try (IdentityTokenSource source = provider().open(context)) {
                IdentityToken first = source.fetch();
                IdentityToken second = source.fetch();
                assertNotEquals(first.serialized(), second.serialized());
                assertEquals(gcp.serviceAccountUniqueId(), first.subject().orElseThrow());
                assertEquals(gcp.serviceAccountEmail(), first.stringClaim("email").orElseThrow());
                assertEquals(List.of("https://api.anthropic.com"), first.audience());
                assertFalse(source.toString().contains("PRIVATE"), source.toString());
            }
            assertEquals(List.of(), context.httpRequests(), "the metadata server is not asked");
        }
        List<RecordedRequest> requests = gcp.requests().subList(before, requestCount());
        assertEquals(2, requests.size());
        assertTrue(requests.get(0).path().startsWith("/token"), requests.get(0).path());
        assertTrue(requests.get(0).body().contains("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer"),
                requests.get(0).body());
    }

    @Test
    @DisplayName("GOOGLE_APPLICATION_CREDENTIALS with user credentials, or naming no file, is unavailable with why")
    void unusableCredentialsFile() {
        try (FakeDetectionContext context = FakeDetectionContext.builder()
                .env("GOOGLE_APPLICATION_CREDENTIALS", "/home/me/adc.json")
                .file("/home/me/adc.json", "{\"type\":\"authorized_user\",\"client_id\":\"x\"}").networkForbidden()
                .build()) {
            Detection detection = detectedWithBadSetting(context);
            assertFalse(detection.isAvailable());
            assertTrue(detection.message().startsWith("GOOGLE_APPLICATION_CREDENTIALS is /home/me/adc.json: user "
                    + "credentials (gcloud auth application-default login)"), detection.message());
        }
        try (FakeDetectionContext context = FakeDetectionContext.builder()
                .env("GOOGLE_APPLICATION_CREDENTIALS", "/secrets/missing.json").networkForbidden().build()) {
            Detection detection = detectedWithBadSetting(context);
            assertFalse(detection.isAvailable());
            assertEquals("GOOGLE_APPLICATION_CREDENTIALS is /secrets/missing.json, but there is no such file.",
                    detection.message());
            IdentityTokenException e = assertThrows(IdentityTokenException.class, () -> provider().open(context));
            assertEquals("GOOGLE_APPLICATION_CREDENTIALS is /secrets/missing.json, but there is no such file.",
                    e.getMessage());
        }
        try (FakeDetectionContext context = FakeDetectionContext.builder()
                .env("GOOGLE_APPLICATION_CREDENTIALS", "/secrets").file("/secrets/key.json", "{}").networkForbidden()
                .build()) {
            assertEquals("GOOGLE_APPLICATION_CREDENTIALS is /secrets, which is a directory, not a credentials file.",
                    detectedWithBadSetting(context).message());
        }
    }

    @Test
    @DisplayName("a credentials file that repeats a key is refused: the Google Auth Library might read the other value")
    void repeatedKeyInCredentialsFile() {
        try (FakeDetectionContext context = FakeDetectionContext.builder()
                .env("GOOGLE_APPLICATION_CREDENTIALS", "/home/me/key.json")
                .file("/home/me/key.json", "{\"type\":\"authorized_user\",\"type\":\"service_account\"}")
                .networkForbidden().build()) {
            assertEquals("GOOGLE_APPLICATION_CREDENTIALS is /home/me/key.json, which is not a JSON credentials file.",
                    detectedWithBadSetting(context).message());
        }
    }
}
