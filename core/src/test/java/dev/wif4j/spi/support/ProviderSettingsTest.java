package dev.wif4j.spi.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.spi.IdentityTokenException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderSettingsTest {

    @Test
    void codeBeatsPropertyBeatsVariableBeatsCloudVariable() {
        MapContext ctx = new MapContext().env("AWS_REGION", "eu-west-1");
        ProviderSettings s = ProviderSettings.of(ctx, "aws");
        assertEquals("eu-west-1", s.get("region").orEnv("AWS_REGION").value().orElseThrow());
        assertEquals("AWS_REGION", s.get("region").orEnv("AWS_REGION").source().orElseThrow());

        ctx.env("WIF4J_AWS_REGION", "eu-west-2");
        assertEquals("eu-west-2", s.get("region").orEnv("AWS_REGION").value().orElseThrow());
        assertEquals("WIF4J_AWS_REGION", s.get("region").orEnv("AWS_REGION").source().orElseThrow());

        ctx.property("wif4j.aws.region", "eu-west-3");
        assertEquals("the system property wif4j.aws.region", s.get("region").source().orElseThrow());

        ctx.put("aws.region", " eu-north-1 ");
        Setting region = s.get("region").orEnv("AWS_REGION");
        assertEquals("eu-north-1", region.value().orElseThrow(), "values are stripped");
        assertEquals("the setting aws.region given in code", region.source().orElseThrow());
    }

    @Test
    void blankCountsAsUnsetAndTheNextSourceIsAsked() {
        MapContext ctx = new MapContext().put("aws.region", "  ").env("WIF4J_AWS_REGION", "").env("AWS_REGION", "x-1");
        assertEquals(Optional.of("x-1"), ProviderSettings.of(ctx, "aws").get("region").orEnv("AWS_REGION").value());
        assertFalse(ProviderSettings.of(new MapContext(), "aws").get("region").isSet());
    }

    @Test
    void dashedSpellingOfEarlierReleasesIsAcceptedInCodeAndProperties() {
        MapContext ctx = new MapContext().put("k8s.expiration-seconds", "600");
        assertEquals(600, ProviderSettings.of(ctx, "k8s").get("expiration.seconds").asInt(3600, 600, 86400));
        MapContext props = new MapContext().property("wif4j.authentik.client-id", "app");
        assertEquals("app", ProviderSettings.of(props, "authentik").get("client.id").value().orElseThrow());
        MapContext env = new MapContext().env("WIF4J_AUTHENTIK_CLIENT_ID", "app2");
        assertEquals("app2", ProviderSettings.of(env, "authentik").get("client.id").value().orElseThrow());
    }

    @Test
    void keysMustBeDotted() {
        ProviderSettings s = ProviderSettings.of(new MapContext(), "aws");
        assertThrows(IllegalArgumentException.class, () -> s.get("signing-algorithm"));
        assertThrows(IllegalArgumentException.class, () -> s.get("Region"));
        assertThrows(IllegalArgumentException.class, () -> ProviderSettings.of(new MapContext(), "AWS"));
    }

    @Test
    void integersOutOfRangeNameTheirSourceAndTheRange() {
        MapContext ctx = new MapContext().env("WIF4J_AWS_DURATION_SECONDS", "9999");
        SettingException e = assertThrows(SettingException.class,
                () -> ProviderSettings.of(ctx, "aws").get("duration.seconds").asInt(300, 60, 3600));
        assertEquals("WIF4J_AWS_DURATION_SECONDS is '9999', but it must be a whole number from 60 to 3600.",
                e.getMessage());
        assertFalse(e.isRetryable());
        assertTrue(e instanceof IdentityTokenException);
        assertEquals(300, ProviderSettings.of(new MapContext(), "aws").get("duration.seconds").asInt(300, 60, 3600));
        assertThrows(SettingException.class, () -> ProviderSettings.of(
                new MapContext().env("WIF4J_AWS_DURATION_SECONDS", "12abc"), "aws").get("duration.seconds")
                .asInt(300, 60, 3600));
    }

    @Test
    void durationsTakeSecondsOrUnits() {
        Duration min = Duration.ofMillis(100);
        Duration max = Duration.ofHours(2);
        for (String[] c : new String[][] {{"300", "PT5M"}, {"30s", "PT30S"}, {"5m", "PT5M"}, {"1h", "PT1H"},
                {"250ms", "PT0.25S"}, {"PT2M", "PT2M"}}) {
            MapContext ctx = new MapContext().env("WIF4J_X_TIMEOUT", c[0]);
            assertEquals(Duration.parse(c[1]), ProviderSettings.of(ctx, "x").get("timeout")
                    .asDuration(Duration.ofSeconds(1), min, max), c[0]);
        }
        for (String bad : new String[] {"soon", "5 parsecs", "-5", "3h", "50ms"}) {
            MapContext ctx = new MapContext().env("WIF4J_X_TIMEOUT", bad);
            SettingException e = assertThrows(SettingException.class, () -> ProviderSettings.of(ctx, "x")
                    .get("timeout").asDuration(Duration.ofSeconds(1), min, max), bad);
            assertTrue(e.getMessage().contains("from 100 ms to 2 h"), e.getMessage());
        }
    }

    @Test
    void booleansAndChoices() {
        MapContext ctx = new MapContext().env("WIF4J_X_FLAG", "YES").env("WIF4J_X_FORMAT", "Full");
        ProviderSettings s = ProviderSettings.of(ctx, "x");
        assertTrue(s.get("flag").asBoolean(false));
        assertEquals("full", s.get("format").asChoice("standard", "full", "standard"));
        ctx.env("WIF4J_X_FORMAT", "brief");
        SettingException e = assertThrows(SettingException.class,
                () -> s.get("format").asChoice("standard", "full", "standard"));
        assertEquals("WIF4J_X_FORMAT is 'brief', but it must be full or standard.", e.getMessage());
        ctx.env("WIF4J_X_FLAG", "maybe");
        assertThrows(SettingException.class, () -> s.get("flag").asBoolean(false));
    }

    @Test
    void endpointsFollowTheOneRule() {
        MapContext ctx = new MapContext().env("VAULT_ADDR", "http://127.0.0.1:8200");
        assertEquals(URI.create("http://127.0.0.1:8200"),
                ProviderSettings.of(ctx, "vault").get("address").orEnv("VAULT_ADDR").asEndpoint().orElseThrow());
        ctx.env("VAULT_ADDR", "http://vault.internal:8200");
        SettingException e = assertThrows(SettingException.class,
                () -> ProviderSettings.of(ctx, "vault").get("address").orEnv("VAULT_ADDR").asEndpoint());
        assertTrue(e.getMessage().startsWith("VAULT_ADDR is 'http://vault.internal:8200', but it is http:// to "
                + "vault.internal"), e.getMessage());
    }

    @Test
    void secretsAreNeverQuoted() {
        MapContext ctx = new MapContext().env("WIF4J_X_CLIENT_SECRET", "hunter2-very-secret");
        Setting secret = ProviderSettings.of(ctx, "x").secret("client.secret");
        SettingException e = secret.invalid("it must not contain spaces");
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        assertEquals("WIF4J_X_CLIENT_SECRET is set, but it must not contain spaces.", e.getMessage());
        assertFalse(secret.toString().contains("hunter2"), secret.toString());
    }

    @Test
    void requiredSettingsSayWhatToSet() {
        SettingException e = assertThrows(SettingException.class, () -> ProviderSettings.of(new MapContext(), "azure")
                .get("resource").require("the application ID URI, such as api://<app-id>"));
        assertEquals("WIF4J_AZURE_RESOURCE is not set: set it to the application ID URI, such as api://<app-id>.",
                e.getMessage());
        SettingException withCloud = assertThrows(SettingException.class, () -> ProviderSettings.of(new MapContext(),
                "aws").get("region").orEnv("AWS_REGION", "AWS_DEFAULT_REGION").require("a region"));
        assertTrue(withCloud.getMessage().startsWith("WIF4J_AWS_REGION (or AWS_REGION, AWS_DEFAULT_REGION) is not set"),
                withCloud.getMessage());
    }

    @Test
    void pathsResolveThroughTheContextAndMustBeAbsolute(@TempDir Path dir) {
        MapContext ctx = new MapContext().env("WIF4J_K8S_TOKEN_PATH", "/var/run/token");
        ctx.root = dir;
        assertEquals(dir.resolve("var/run/token"),
                ProviderSettings.of(ctx, "k8s").get("token.path").asPath().orElseThrow());
        ctx.env("WIF4J_K8S_TOKEN_PATH", "relative/token");
        assertThrows(SettingException.class, () -> ProviderSettings.of(ctx, "k8s").get("token.path").asPath());
    }

    @Test
    void controlCharactersInValuesAreEscapedInMessages() {
        MapContext ctx = new MapContext().env("WIF4J_X_FORMAT", "full\r\nInjected: yes");
        SettingException e = assertThrows(SettingException.class,
                () -> ProviderSettings.of(ctx, "x").get("format").asChoice("full", "full", "standard"));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().contains("'full\\r\\nInjected: yes'"), e.getMessage());
    }

    @Test
    void audienceFallsBackToTheGlobalThenTheDefault() {
        assertEquals("https://api.anthropic.com", ProviderSettings.of(new MapContext(), "x").audience());
        assertEquals("g", ProviderSettings.of(new MapContext().env("WIF4J_AUDIENCE", "g"), "x").audience());
        assertEquals("p", ProviderSettings.of(new MapContext().env("WIF4J_AUDIENCE", "g").env("WIF4J_X_AUDIENCE", "p"),
                "x").audience());
    }
}
