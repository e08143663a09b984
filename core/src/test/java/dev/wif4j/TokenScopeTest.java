package dev.wif4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.spi.support.MapContext;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Where a token may go: decided from the URL alone, so nothing here ever connects anywhere. */
class TokenScopeTest {
    private static final URI LOOPBACK_BASE = URI.create("http://127.0.0.1:18080");

    @Test
    @DisplayName("http://gateway.example:18090 gets no token while the base URL is on loopback; the message shows only the origin")
    void plainHttpGatewayIsRefused() {
        TokenScope scope = TokenScope.of(LOOPBACK_BASE, List.of());
        URI gateway = URI.create("http://gateway.example:18090/v1/messages?beta=true");
        assertFalse(scope.permits(gateway));
        WorkloadIdentityException e = assertThrows(WorkloadIdentityException.class, () -> scope.check(gateway));
        assertTrue(e.getMessage().startsWith("wif4j did not send a request to http://gateway.example:18090: the access "
                + "token would travel in clear text"), e.getMessage());
        assertFalse(e.getMessage().contains("/v1/messages") || e.getMessage().contains("beta=true"), e.getMessage());
    }

    @Test
    @DisplayName("plain http to a host that is not loopback cannot even be allowed")
    void plainHttpCannotBeAllowed() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> TokenScope.of(LOOPBACK_BASE, List.of("http://gateway.example:18090"), "WIF4J_ALLOWED_ORIGINS"));
        assertTrue(e.getMessage().startsWith("The allowed origin http://gateway.example:18090 in WIF4J_ALLOWED_ORIGINS "
                + "is not allowed: it is http:// to gateway.example, which would send tokens in clear text"),
                e.getMessage());
    }

    @Test
    @DisplayName("another origin is refused naming it and the setting; once allowed it gets the token")
    void otherOriginsNeedAllowing() {
        URI gateway = URI.create("https://gateway.example.com/anthropic/v1/messages");
        WorkloadIdentityException e = assertThrows(WorkloadIdentityException.class,
                () -> TokenScope.of(LOOPBACK_BASE, List.of()).check(gateway));
        assertEquals("wif4j did not send a request to https://gateway.example.com:443: the access token is attached "
                + "only to the Anthropic base URL's origin (http://127.0.0.1:18080). If https://gateway.example.com:443 "
                + "is a gateway in front of the Claude API, add it to WIF4J_ALLOWED_ORIGINS (wif4j.allowed-origins in "
                + "Spring, WorkloadIdentity.builder().allowedOrigin(...) in code).", e.getMessage());

        TokenScope allowed = TokenScope.of(LOOPBACK_BASE, List.of("https://Gateway.Example.com/", "http://[::1]:9"));
        assertTrue(allowed.permits(gateway));
        assertTrue(allowed.permits(URI.create("https://gateway.example.com:443/x")), "the default port is the same origin");
        assertTrue(allowed.permits(URI.create("http://127.0.0.1:18080/v1/messages")), "the base URL's origin");
        assertTrue(allowed.permits(URI.create("http://[::1]:9/v1/messages")));
        assertFalse(allowed.permits(URI.create("https://gateway.example.com:8443/x")), "another port");
        assertFalse(allowed.permits(URI.create("http://gateway.example.com:443/x")), "another scheme");
        assertFalse(allowed.permits(URI.create("http://localhost:18080/x")), "another spelling of loopback");
        assertEquals(List.of("http://127.0.0.1:18080", "https://gateway.example.com:443", "http://[::1]:9"),
                allowed.origins());
        assertTrue(assertThrows(WorkloadIdentityException.class, () -> allowed.check(URI.create("http://localhost:1")))
                .getMessage().contains("and the allowed origins https://gateway.example.com:443, http://[::1]:9."));
    }

    @Test
    @DisplayName("a refusal never repeats user info, a path or a query; a URL without a host is refused too")
    void refusalsShowOnlyTheOrigin() {
        TokenScope scope = TokenScope.of(LOOPBACK_BASE, List.of());
        String message = assertThrows(WorkloadIdentityException.class,
                () -> scope.check(URI.create("https://user:hunter2@evil.example:8443/key/sk-1?api_key=abc#f")))
                .getMessage();
        assertTrue(message.startsWith("wif4j did not send a request to https://evil.example:8443: "), message);
        assertFalse(message.contains("hunter2") || message.contains("user") || message.contains("sk-1")
                || message.contains("abc"), message);
        assertTrue(assertThrows(WorkloadIdentityException.class, () -> scope.check(URI.create("file:///etc/passwd")))
                .getMessage().contains("is not an absolute http(s) URL with a host"));
        assertThrows(WorkloadIdentityException.class, () -> scope.check(null));
    }

    @Test
    @DisplayName("each allowed origin is checked, and a bad one is shown by scheme, host and port only")
    void badAllowedOrigins() {
        for (String bad : List.of("https://gw.example/v1", "https://gw.example?key=1", "ftp://gw.example",
                "https://user:secret@gw.example", "https://gw.example:70000", "gw.example:443", "https://gw.example#x")) {
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> TokenScope.of(LOOPBACK_BASE, List.of("https://fine.example", bad), "wif4j.allowed-origins"),
                    bad);
            assertTrue(e.getMessage().contains(" in wif4j.allowed-origins is not allowed: "), e.getMessage());
            assertTrue(e.getMessage().contains("An allowed origin is scheme://host[:port]"), e.getMessage());
            assertFalse(e.getMessage().contains("secret") || e.getMessage().contains("key=1")
                    || e.getMessage().contains("/v1"), e.getMessage());
        }
        assertTrue(assertThrows(ConfigurationException.class,
                () -> TokenScope.of(LOOPBACK_BASE, List.of("not a url\n"), "X")).getMessage()
                .startsWith("The allowed origin #1 in X is not allowed: it is not a URL."));
    }

    @Test
    @DisplayName("with no identity: api.anthropic.com, ANTHROPIC_BASE_URL and WIF4J_ALLOWED_ORIGINS, nothing else")
    void fromEnvironment() {
        TokenScope bare = TokenScope.fromEnvironment(context(Map.of(), Map.of()));
        assertEquals(List.of("https://api.anthropic.com:443"), bare.origins());

        TokenScope configured = TokenScope.fromEnvironment(context(Map.of("ANTHROPIC_BASE_URL",
                "http://localhost:4000/", "WIF4J_ALLOWED_ORIGINS", " https://gw.example:8443 ,, https://b.example"),
                Map.of()));
        assertEquals(List.of("http://localhost:4000", "https://gw.example:8443", "https://b.example:443",
                "https://api.anthropic.com:443"), configured.origins());

        ConfigurationException e = assertThrows(ConfigurationException.class, () -> TokenScope.fromEnvironment(
                context(Map.of("WIF4J_ALLOWED_ORIGINS", "https://a.example"),
                        Map.of("wif4j.allowed.origins", "http://10.0.0.1"))));
        assertTrue(e.getMessage().startsWith("The allowed origin http://10.0.0.1:80 in wif4j.allowed.origins is not "
                + "allowed"), e.getMessage());
    }

    /** A context with these environment variables and system properties. */
    private static MapContext context(Map<String, String> env, Map<String, String> properties) {
        MapContext ctx = new MapContext();
        env.forEach(ctx::env);
        properties.forEach(ctx::property);
        return ctx;
    }
}
