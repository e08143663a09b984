package dev.wif4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.DetectionReport;
import dev.wif4j.IdentityProviderException;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.WorkloadIdentityBuilder;
import dev.wif4j.spi.Detection;
import dev.wif4j.spi.IdentityProvider;
import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.spi.support.ProviderIds;
import dev.wif4j.spi.support.SettingException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.ServiceLoader;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link IdentityProvider} owes its users, built-in or in-house. A provider's test
 * class extends this one and supplies the provider and two worlds, one where it works and one where it
 * has nothing to go on:
 *
 * <pre>{@code
 * class VaultIdentityProviderTest extends IdentityProviderContract {
 *     protected IdentityProvider provider() { return new VaultIdentityProvider(); }
 *     protected FakeDetectionContext availableContext() {
 *         return FakeDetectionContext.builder().env("VAULT_ADDR", vault.url()).build();
 *     }
 * }
 * }</pre>
 *
 * <p>Contexts are closed after each test.
 */
// JUnit is a static (optional) requirement of the testkit, not a transitive one: a subclass is a JUnit test and
// brings JUnit itself, so its annotations showing in this class's signature need no re-export.
@SuppressWarnings("exports")
public abstract class IdentityProviderContract {

    /** How long one failed {@code token()} may take at the most, retries included, as wif4j documents. */
    protected static final Duration FAILED_TOKEN_BOUND = Duration.ofSeconds(30);

    private static final Pattern ID = ProviderIds.PATTERN;
    private static final Pattern DOTTED_KEY = Pattern.compile("[a-z0-9]+(\\.[a-z0-9]+)*");

    /** For subclasses. */
    protected IdentityProviderContract() {
    }

    /** @return a new instance of the provider under test */
    protected abstract IdentityProvider provider();

    /**
     * A world in which the provider is available and {@code open(...).fetch()} succeeds, typically
     * pointing at emulators the subclass started.
     *
     * @return a new context
     */
    protected abstract FakeDetectionContext availableContext();

    /**
     * A world without the provider's signals; by default an empty one in which every network call fails.
     *
     * @return a new context
     */
    protected FakeDetectionContext unavailableContext() {
        return FakeDetectionContext.empty();
    }

    /**
     * Opens a new {@link #provider()} in a context and fetches one token, then closes the source and the context:
     * for a subclass's own tests of what one fetch sends and returns.
     *
     * @param context the world to fetch in; closed on return
     * @return the token
     * @throws IdentityTokenException when the fetch fails
     */
    protected final IdentityToken fetchOnce(FakeDetectionContext context) {
        try (context; IdentityTokenSource source = provider().open(context)) {
            return source.fetch();
        }
    }

    /**
     * As {@link #fetchOnce}, for a fetch that must fail: asserts that it throws {@link IdentityTokenException}.
     *
     * @param context the world to fetch in; closed on return
     * @return the exception, for the caller to check its message and retryability
     */
    protected final IdentityTokenException fetchFailure(FakeDetectionContext context) {
        try (context; IdentityTokenSource source = provider().open(context)) {
            return assertThrows(IdentityTokenException.class, source::fetch);
        }
    }

    /**
     * Asks once for an access token and expects the bound wif4j documents for an upstream that keeps failing: the
     * call fails within {@link #FAILED_TOKEN_BOUND}, however many attempts core's exchange makes, with an
     * {@link IdentityProviderException} whose cause is the provider's retryable {@link IdentityTokenException}. The
     * caller counts the upstream calls (at most 4) on its emulator.
     *
     * @param identity a workload identity whose provider's upstream fails on every call
     * @return the provider's exception (the message the application sees too), for the caller to check its message
     */
    protected static IdentityTokenException assertTokenFailsInBound(WorkloadIdentity identity) {
        long start = System.nanoTime();
        IdentityProviderException reported = assertThrows(IdentityProviderException.class,
                () -> identity.credentials().token());
        IdentityTokenException e = assertInstanceOf(IdentityTokenException.class, reported.getCause());
        assertEquals(e.getMessage(), reported.getMessage(), "the application sees the provider's message");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(e.isRetryable(), () -> "an outage is retryable: " + e.getMessage());
        assertTrue(took.compareTo(FAILED_TOKEN_BOUND) < 0, () -> "one failed token() took " + took);
        return e;
    }

    /**
     * Whether two fetches give two different tokens. True for every provider that asks an upstream
     * service; false only for one that hands back a value it was given (such as {@code literal}).
     *
     * @return whether each fetch mints a new token
     */
    protected boolean mintsFreshTokens() {
        return true;
    }

    /** The id is what users type in {@code WIF4J_PROVIDER}, so it must be well formed and stable. */
    @Test
    @DisplayName("its id is lower-case letters, digits and dashes, and the same every time")
    public void idIsWellFormedAndStable() {
        IdentityProvider provider = provider();
        assertTrue(ID.matcher(provider.id()).matches(), () -> "id '" + provider.id() + "' must match " + ID);
        assertEquals(provider.id(), provider().id());
    }

    /** A provider that is not registered is never found. */
    @Test
    @DisplayName("it is registered for ServiceLoader")
    public void isRegisteredForServiceLoader() {
        Class<?> type = provider().getClass();
        boolean found = ServiceLoader.load(IdentityProvider.class, type.getClassLoader()).stream()
                .anyMatch(p -> p.type() == type);
        assertTrue(found, () -> type.getName() + " is not listed in META-INF/services/" + IdentityProvider.class.getName());
    }

    /** Off its signals a provider says no, says why, and stays off the network. */
    @Test
    @DisplayName("off its signals, detect() says unavailable with a reason and makes no network call")
    public void unavailableWithoutSignals() {
        try (FakeDetectionContext context = unavailableContext()) {
            Detection detection = provider().detect(context);
            assertNotNull(detection, "detect() returned null");
            assertFalse(detection.isAvailable(), () -> "available in an empty world: " + detection.message());
            assertFalse(detection.message().isBlank(), "an unavailable detection must give its reason");
            assertEquals(List.of(), context.httpRequests(), "detect() called the network off its signals");
        }
    }

    /** On its signals a provider says yes and what it saw. */
    @Test
    @DisplayName("on its signals, detect() says available and names its evidence")
    public void availableWithSignals() {
        try (FakeDetectionContext context = availableContext()) {
            Detection detection = provider().detect(context);
            assertTrue(detection.isAvailable(), () -> "unavailable: " + detection.message());
            assertFalse(detection.message().isBlank(), "an available detection must name its evidence");
        }
    }

    /**
     * Whatever the environment holds, {@code detect} gives a verdict, or says which setting is wrong with a
     * {@link SettingException} (detection then reports the provider unavailable with that message); it throws
     * nothing else, and never echoes the junk unescaped.
     */
    @Test
    @DisplayName("detect() gives a verdict or a SettingException, even when every variable it reads holds junk")
    public void detectNeverThrowsOnJunk() {
        Map<String, String> junk = new LinkedHashMap<>();
        try (FakeDetectionContext available = availableContext()) {
            available.environment().keySet().forEach(k -> junk.put(k, "::not a value\u0000%zz"));
        }
        try (FakeDetectionContext context = FakeDetectionContext.builder().env(junk).networkForbidden()
                .probesAllowed(false).build()) {
            Detection detection;
            try {
                detection = provider().detect(context);
            } catch (SettingException e) {
                assertFalse(e.getMessage().isBlank(), "a SettingException must say which setting to fix");
                assertFalse(e.getMessage().contains("\u0000"), () -> "the message echoes junk: " + e.getMessage());
                // What the user sees: detection reports the provider unavailable, with that message as the reason.
                DetectionReport.Entry entry = WorkloadIdentity.builder().context(context).detect().entries().stream()
                        .filter(x -> x.id().equals(provider().id())).findFirst().orElseThrow();
                assertEquals(DetectionReport.Status.UNAVAILABLE, entry.status());
                assertEquals(e.getMessage(), entry.message());
                return;
            } catch (RuntimeException e) {
                throw new AssertionError("detect() threw " + e + "; only a SettingException is allowed", e);
            }
            assertNotNull(detection, "detect() returned null");
            assertFalse(detection.message().isBlank(), "a detection must explain itself");
            assertFalse(detection.message().contains("\u0000"), () -> "the verdict echoes junk: " + detection.message());
        }
    }

    /** Anthropic accepts a {@code jti} once, so each exchange needs a token of its own. */
    @Test
    @DisplayName("open() gives a source whose fetch() returns a JWT, a fresh one each time")
    public void fetchReturnsFreshTokens() {
        try (FakeDetectionContext context = availableContext();
                IdentityTokenSource source = provider().open(context)) {
            IdentityToken first = source.fetch();
            IdentityToken second = source.fetch();
            assertNotNull(first.subject(), "the token has no sub");
            assertEquals(3, first.serialized().split("\\.", -1).length, "not a compact JWS");
            if (mintsFreshTokens()) {
                assertNotEquals(first.serialized(), second.serialized(), "two fetches returned the same token");
            }
        }
    }

    /**
     * Settings have one key style, lower-case words joined by dots, so a user writes every key one way
     * ({@code wif4j.<id>.<key>}, {@code WIF4J_<ID>_<KEY>}). A dashed spelling may be asked only as the
     * legacy twin of a dotted key, as {@link dev.wif4j.spi.support.ProviderSettings} does.
     */
    @Test
    @DisplayName("every setting it reads has a key of dotted lower-case words")
    public void settingKeysAreDotted() {
        IdentityProvider provider = provider();
        String prefix = "wif4j." + provider.id() + ".";
        try (FakeDetectionContext context = availableContext()) {
            provider.detect(context);
            try (IdentityTokenSource source = provider.open(context)) {
                source.fetch();
            }
            Set<String> asked = context.askedSystemProperties();
            for (String name : asked) {
                if (!name.startsWith(prefix)) {
                    continue;
                }
                String key = name.substring(prefix.length());
                boolean dotted = DOTTED_KEY.matcher(key).matches();
                boolean legacyTwin = asked.contains(prefix + key.replace('-', '.'));
                assertTrue(dotted || legacyTwin, () -> "setting key '" + provider.id() + "." + key
                        + "' is not lower-case words joined by dots");
            }
        }
    }

    /**
     * Pinning is one thing however the user does it: {@code WIF4J_PROVIDER=<id>} and
     * {@code WorkloadIdentity.builder().provider("<id>")} (and so {@code wif4j --provider}) hand the provider
     * the same pinned context, so its report entry is the same, in the available world and in the empty one.
     */
    @Test
    @DisplayName("WIF4J_PROVIDER and builder().provider() give the same report entry")
    public void pinnedByVariableOrBuilderAlike() {
        String id = provider().id();
        List<Map<String, String>> worlds = new ArrayList<>();
        try (FakeDetectionContext available = availableContext(); FakeDetectionContext empty = unavailableContext()) {
            worlds.add(available.environment());
            worlds.add(empty.environment());
        }
        for (Map<String, String> env : worlds) {
            // One instant for both: a message may say how long a token has left ("in 59 min 59 s").
            Clock now = Clock.fixed(Instant.now(), ZoneOffset.UTC);
            assertEquals(pinnedEntry(env, id, true, now), pinnedEntry(env, id, false, now),
                    () -> "pinned in " + env.keySet());
        }
    }

    /**
     * The detection report's entry for a provider pinned in a world with these variables (and no network).
     *
     * @param environment the world's environment variables
     * @param id the provider id to pin
     * @param byVariable {@code true} to pin with {@code WIF4J_PROVIDER}, {@code false} with the builder
     * @return the pinned provider's entry, which the report lists first
     */
    protected static DetectionReport.Entry pinnedEntry(Map<String, String> environment, String id, boolean byVariable) {
        return pinnedEntry(environment, id, byVariable, Clock.systemUTC());
    }

    /**
     * As {@link #pinnedEntry(Map, String, boolean)}, in a world on the given clock: two entries compared with each
     * other must be made at one instant when a provider's message counts the time a token has left.
     *
     * @param environment the world's environment variables
     * @param id the provider id to pin
     * @param byVariable {@code true} to pin with {@code WIF4J_PROVIDER}, {@code false} with the builder
     * @param clock the world's clock
     * @return the pinned provider's entry, which the report lists first
     */
    protected static DetectionReport.Entry pinnedEntry(Map<String, String> environment, String id, boolean byVariable,
            Clock clock) {
        FakeDetectionContext.Builder world = FakeDetectionContext.builder().env(environment).clock(clock)
                .networkForbidden();
        if (byVariable) {
            world.env("WIF4J_PROVIDER", id);
        }
        try (FakeDetectionContext context = world.build()) {
            WorkloadIdentityBuilder builder = WorkloadIdentity.builder().context(context);
            return (byVariable ? builder : builder.provider(id)).detect().entries().get(0);
        }
    }

    /** Tokens are secrets: nothing a user can print may contain one. */
    @Test
    @DisplayName("toString() of the provider, its source, its detection and its token shows no token")
    public void toStringLeaksNoToken() {
        try (FakeDetectionContext context = availableContext()) {
            IdentityProvider provider = provider();
            Detection detection = provider.detect(context);
            try (IdentityTokenSource source = provider.open(context)) {
                IdentityToken token = source.fetch();
                String signature = token.serialized().substring(token.serialized().lastIndexOf('.') + 1);
                for (Object shown : new Object[] {provider, source, detection, token}) {
                    String text = String.valueOf(shown);
                    assertFalse(text.contains(token.serialized()), () -> "toString() shows the token: " + text);
                    assertFalse(!signature.isEmpty() && text.contains(signature),
                            () -> "toString() shows the signature: " + text);
                }
                String logs = String.join("\n", context.logLines());
                assertFalse(logs.contains(token.serialized()), "a log line holds the token");
            }
        }
    }
}
