package dev.wif4j.spi;

/**
 * One upstream source of identity tokens (a cloud's metadata server, a Kubernetes projected
 * token, GitHub Actions, an OIDC client), found by {@link java.util.ServiceLoader}.
 *
 * <h2>Registering</h2>
 * An implementation is a {@code public final} class with a public no-argument constructor,
 * registered both in its {@code module-info.java}
 * ({@code provides dev.wif4j.spi.IdentityProvider with com.acme.VaultIdentityProvider;}) and in
 * {@code META-INF/services/dev.wif4j.spi.IdentityProvider}, so it is found on the module path and
 * on the class path alike. In-house providers are found exactly like the built-in ones.
 *
 * <h2>Lifecycle</h2>
 * <ol>
 *   <li>{@link #detect} runs on every start-up, for every installed provider, in parallel. It is
 *       cheap and side-effect free: it reads environment variables, settings and well-known
 *       files through the {@link DetectionContext}, and makes a network probe only when a local
 *       signal points at one and {@link DetectionContext#probesAllowed()} says so. A provider
 *       that cannot work here returns {@link Detection#unavailable(String)} with the reason; a
 *       provider whose settings are wrong lets the support kit's
 *       {@link dev.wif4j.spi.support.SettingException} propagate (no need to catch it), and
 *       detection reports the provider unavailable with that exception's message, which names
 *       the setting to fix. Any other exception is a bug in the provider: detection reports it
 *       unavailable too, naming the exception, and carries on with the others.</li>
 *   <li>{@link #open} is called at most once, only on the provider detection chose (or the user
 *       pinned with {@code WIF4J_PROVIDER}).</li>
 * </ol>
 *
 * <h2>Ids and priority</h2>
 * {@link #id()} is what users type in {@code WIF4J_PROVIDER}: lower-case letters, digits and
 * dashes, starting with a letter. The built-in ids ({@code aws}, {@code azure}, {@code gcp},
 * {@code k8s}, {@code github}, {@code authentik}, {@code ci}, {@code spiffe}, {@code file},
 * {@code literal}) are reserved for wif4j's own classes; pick a prefixed id such as {@code acme-vault} for an in-house provider.
 *
 * <p>When several providers are available, the <em>highest</em> {@link #priority()} wins, and
 * ties go to the id that sorts first. The built-in providers use these values, so an in-house
 * provider can place itself among them:
 * <table>
 *   <caption>Built-in priorities</caption>
 *   <tr><th>id</th><th>priority</th><th>why</th></tr>
 *   <tr><td>authentik</td><td>50</td><td>available only when explicitly configured</td></tr>
 *   <tr><td>ci</td><td>45</td><td>a CI job on cloud hardware also sees its cloud's identity</td></tr>
 *   <tr><td>github</td><td>40</td><td>hosted runners also look like Azure VMs</td></tr>
 *   <tr><td>spiffe</td><td>35</td><td>a SPIFFE ID is more specific than the pod's service account</td></tr>
 *   <tr><td>k8s</td><td>30</td><td>a pod also sees its cloud's metadata server</td></tr>
 *   <tr><td>azure</td><td>20</td><td></td></tr>
 *   <tr><td>gcp</td><td>10</td><td></td></tr>
 *   <tr><td>aws</td><td>0</td><td></td></tr>
 * </table>
 * The {@code file} and {@code literal} providers ({@code ANTHROPIC_IDENTITY_TOKEN_FILE},
 * {@code ANTHROPIC_IDENTITY_TOKEN}) are not ranked: when configured they are used before any
 * other provider is asked.
 */
public interface IdentityProvider {

    /**
     * The provider's id, unique among installed providers.
     *
     * @return e.g. {@code "gcp"}; never {@code null}
     */
    String id();

    /**
     * Ranks this provider when several are available; higher wins.
     *
     * @return the priority; {@code 0} by default
     */
    default int priority() {
        return 0;
    }

    /**
     * Says whether this provider can supply identity tokens in the environment the context
     * describes. Cheap and side-effect free.
     *
     * @param context the environment; never {@code null}
     * @return the verdict with its evidence or reason; never {@code null}
     * @throws dev.wif4j.spi.support.SettingException if a setting is missing or malformed: detection
     *     reports the provider unavailable with the message
     */
    Detection detect(DetectionContext context);

    /**
     * Opens a token source. Called at most once, after detection chose this provider.
     *
     * @param context the environment; never {@code null}
     * @return a source of fresh identity tokens; never {@code null}
     * @throws IdentityTokenException if the provider's configuration is unusable
     */
    IdentityTokenSource open(DetectionContext context);
}
