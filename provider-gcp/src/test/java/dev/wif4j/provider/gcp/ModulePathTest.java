package dev.wif4j.provider.gcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.testkit.GcpMetadataEmulator;
import java.io.File;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The module on the module path, as a user's modular application gets it: {@code dev.wif4j.provider.gcp}, wif4j
 * core and the Google Auth Library's runtime jars (automatic modules, named by their {@code Automatic-Module-Name})
 * resolved into a module layer of their own; {@link ServiceLoader} finds the provider there, and the real library
 * fetches a token across the module boundaries.
 */
class ModulePathTest {

    @TempDir
    Path root;

    @Test
    @DisplayName("on the module path, ServiceLoader finds the gcp provider and it fetches a token")
    void serviceLoaderFindsTheProviderOnTheModulePath() throws Exception {
        List<Path> modulePath = new ArrayList<>();
        modulePath.add(Path.of("target/classes"));
        for (String entry : Files.readString(Path.of("target/runtime-module-path.txt")).strip()
                .split(File.pathSeparator)) {
            modulePath.add(Path.of(entry));
        }
        ModuleFinder finder = ModuleFinder.of(modulePath.toArray(Path[]::new));
        Configuration configuration = ModuleLayer.boot().configuration()
                .resolveAndBind(finder, ModuleFinder.of(), Set.of("dev.wif4j.provider.gcp"));
        ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(configuration,
                ClassLoader.getPlatformClassLoader());
        assertTrue(layer.findModule("com.google.auth.oauth2").isPresent(), "the library's automatic module");

        ClassLoader loader = layer.findLoader("dev.wif4j");
        Class<?> spi = loader.loadClass("dev.wif4j.spi.IdentityProvider");
        Class<?> contextType = loader.loadClass("dev.wif4j.spi.DetectionContext");
        List<Object> found = new ArrayList<>();
        for (Object provider : ServiceLoader.load(layer, spi)) {
            if ("gcp".equals(spi.getMethod("id").invoke(provider))) {
                found.add(provider);
            }
        }
        assertEquals(1, found.size(), "ServiceLoader on the layer found " + found);
        Object provider = found.get(0);
        assertEquals("dev.wif4j.provider.gcp", provider.getClass().getModule().getName());
        assertTrue(provider.getClass().getModule().isNamed() && !provider.getClass().getModule().getDescriptor()
                .isAutomatic(), "an explicit module");

        try (GcpMetadataEmulator gcp = GcpMetadataEmulator.start()) {
            Object context = context(contextType, Map.of("K_SERVICE", "billing", "GCE_METADATA_HOST", gcp.host()));
            Object detection = spi.getMethod("detect", contextType).invoke(provider, context);
            assertEquals(Boolean.TRUE, detection.getClass().getMethod("isAvailable").invoke(detection),
                    String.valueOf(detection));
            Object source = spi.getMethod("open", contextType).invoke(provider, context);
            Class<?> sourceType = loader.loadClass("dev.wif4j.spi.IdentityTokenSource");
            Object token = sourceType.getMethod("fetch").invoke(source);
            assertEquals(Optional.of(gcp.serviceAccountEmail()),
                    token.getClass().getMethod("stringClaim", String.class).invoke(token, "email"));
        }
    }

    /** A DetectionContext of the layer's own dev.wif4j module: the test's class-path copy is another type. */
    private Object context(Class<?> contextType, Map<String, String> env) {
        HttpClient client = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
        InvocationHandler handler = (proxy, method, args) -> switch (method.getName()) {
            case "env" -> Optional.ofNullable(env.get((String) args[0]));
            case "systemProperty" -> Optional.empty();
            case "settings" -> Map.of();
            case "path" -> root.resolve(((String) args[0]).replaceFirst("^/+", ""));
            case "clock" -> Clock.systemUTC();
            case "probesAllowed" -> true;
            case "probeTimeout" -> Duration.ofSeconds(2);
            case "httpClient" -> client;
            case "logger" -> System.getLogger((String) args[0]);
            default -> defaultOrObject(proxy, method, args);
        };
        return Proxy.newProxyInstance(contextType.getClassLoader(), new Class<?>[] {contextType}, handler);
    }

    private static Object defaultOrObject(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.isDefault()) {
            return InvocationHandler.invokeDefault(proxy, method, args);
        }
        return switch (method.getName()) {
            case "toString" -> "ModulePathTestContext";
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            default -> throw new UnsupportedOperationException(method.getName());
        };
    }
}
