package dev.wif4j.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wif4j.AccessToken;
import dev.wif4j.WorkloadIdentity;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One exchange round trip against the emulator on 127.0.0.1: through wif4j ({@code exchange()}:
 * request built, sent, response parsed, token checked) and as the bare HTTP call with the same body and
 * client settings. The difference is wif4j's own overhead. Identity tokens are minted before each call
 * (the emulator accepts each {@code jti} once), outside the measured time; minting alone is measured too.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class ExchangeBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Loopback loopback;
    private WorkloadIdentity identity;
    private HttpClient http;
    private URI endpoint;
    private String jwt;
    private byte[] rawBody;

    /** Starts the emulators and a client configured as wif4j's default one. */
    @Setup(Level.Trial)
    public void start() {
        loopback = new Loopback(Clock.systemUTC(), Duration.ofHours(1));
        identity = loopback.identity(() -> jwt);
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        endpoint = URI.create(loopback.anthropic.baseUrl() + "/v1/oauth/token");
    }

    /**
     * A new identity token for the next call.
     *
     * @throws IOException never
     */
    @Setup(Level.Invocation)
    public void mintNext() throws IOException {
        jwt = loopback.mint();
        ObjectNode body = JSON.createObjectNode();
        body.put("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer");
        body.put("assertion", jwt);
        body.put("federation_rule_id", loopback.ruleId);
        body.put("organization_id", loopback.anthropic.organizationId());
        rawBody = JSON.writeValueAsBytes(body);
    }

    /** Stops the emulators. */
    @TearDown(Level.Trial)
    public void stop() {
        identity.close();
        loopback.close();
    }

    /**
     * The exchange through wif4j.
     *
     * @return the access token
     */
    @Benchmark
    public AccessToken wif4jExchange() {
        return identity.exchange();
    }

    /**
     * The same POST with the JDK's client, its body built beforehand and the response left unparsed.
     *
     * @return the response body
     * @throws Exception if the call fails
     */
    @Benchmark
    public byte[] rawHttpExchange() throws Exception {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("anthropic-beta", "oauth-2025-04-20,oidc-federation-2026-04-01")
                .header("anthropic-version", "2023-06-01")
                .POST(HttpRequest.BodyPublishers.ofByteArray(rawBody))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the emulator answered " + response.statusCode());
        }
        return response.body();
    }

    /**
     * Minting and signing an identity token with testkit's issuer (RS256): not wif4j's cost, shown so
     * it is not mistaken for it.
     *
     * @return the JWT
     */
    @Benchmark
    public String mintIdentityToken() {
        return loopback.mint();
    }
}
