package dev.wif4j.provider.azure.internal;

import com.microsoft.aad.msal4j.ManagedIdentityApplication;
import com.microsoft.aad.msal4j.TokenCache;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * MSAL for Java, which Azure Identity's {@code ManagedIdentityCredential} runs on, reads the managed-identity
 * variables ({@code IDENTITY_ENDPOINT}, {@code IDENTITY_HEADER}, {@code MSI_ENDPOINT}, {@code IMDS_ENDPOINT},
 * {@code AZURE_POD_IDENTITY_AUTHORITY_HOST}, ...) from the process environment itself, with no public way to hand
 * them in, and keeps managed-identity tokens in one process-wide cache that Azure Identity never bypasses.
 *
 * <p>So that the library sees the {@link dev.wif4j.spi.DetectionContext}'s values and nothing else, this class
 * installs them through MSAL's own hook for that purpose ({@code ManagedIdentityApplication.environmentVariables},
 * package-private, reached by reflection) for the duration of one token request, under one lock, and puts back
 * what was there. And so that each fetch asks the endpoint anew, it drops the cached tokens for the resource asked
 * for from MSAL's shared cache first.
 * Should a later MSAL drop the hook, {@link #available()} says so and the process environment is used.
 */
final class MsalEnvironment {

    /** One lock for every managed-identity request in the process: the hook is a static field. */
    static final Object LOCK = new Object();

    private static final Class<?> VARIABLES;
    private static final Method SETTER;
    private static final Field FIELD;
    private static final Field ACCESS_TOKENS = accessTokensField();

    static {
        Class<?> variables = null;
        Method setter = null;
        Field field = null;
        try {
            variables = Class.forName("com.microsoft.aad.msal4j.IEnvironmentVariables", false,
                    ManagedIdentityApplication.class.getClassLoader());
            setter = ManagedIdentityApplication.class.getDeclaredMethod("setEnvironmentVariables", variables);
            setter.setAccessible(true);
            field = ManagedIdentityApplication.class.getDeclaredField("environmentVariables");
            field.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            variables = null;
            setter = null;
            field = null;
        }
        VARIABLES = variables;
        SETTER = setter;
        FIELD = field;
    }

    private MsalEnvironment() {
    }

    private static Field accessTokensField() {
        try {
            Field f = TokenCache.class.getDeclaredField("accessTokens");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** @return whether MSAL's environment hook could be reached */
    static boolean available() {
        return SETTER != null;
    }

    /**
     * Runs an action with MSAL seeing exactly the given variables. Call while holding {@link #LOCK}.
     *
     * @param values the variables MSAL may see
     * @param action the token request
     * @param <T> the result type
     * @return the action's result
     */
    static <T> T with(Map<String, String> values, java.util.function.Supplier<T> action) {
        if (!available()) {
            return action.get();
        }
        Object previous;
        try {
            previous = FIELD.get(null);
            Object view = Proxy.newProxyInstance(VARIABLES.getClassLoader(), new Class<?>[] {VARIABLES},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "getEnvironmentVariable" -> values.get((String) args[0]);
                        case "toString" -> "wif4j context variables " + values.keySet();
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> null;
                    });
            SETTER.invoke(null, view);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return action.get();
        }
        try {
            return action.get();
        } finally {
            try {
                SETTER.invoke(null, previous);
            } catch (ReflectiveOperationException | RuntimeException ignored) {
                // Nothing more can be done; the next request installs its own view again.
            }
        }
    }

    /**
     * Drops the managed-identity tokens cached for one resource from MSAL's process-wide cache, so the next request
     * asks the endpoint. Tokens for other resources stay. MSAL's public {@code deserialize} merges rather than
     * replaces, so the cache's own map is reached by reflection; its keys end with the token's target (the resource,
     * lower case).
     *
     * @param resource the resource, without {@code /.default}
     */
    static void forget(String resource) {
        TokenCache cache = ManagedIdentityApplication.getSharedTokenCache();
        if (cache == null || ACCESS_TOKENS == null) {
            return;
        }
        String target = resource.toLowerCase(java.util.Locale.ROOT);
        try {
            if (ACCESS_TOKENS.get(cache) instanceof Map<?, ?> tokens) {
                tokens.keySet().removeIf(k -> String.valueOf(k).toLowerCase(java.util.Locale.ROOT).contains(target));
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Only means a cached token may come back; fetch still works.
        }
    }
}
