/**
 * The provider support kit: what every identity provider needs and none should write again. The
 * built-in providers are written on {@link dev.wif4j.spi} and this package alone, exactly as an
 * in-house provider is.
 *
 * <ul>
 *   <li>{@link dev.wif4j.spi.support.ProviderSettings} and {@link dev.wif4j.spi.support.Setting}: one
 *       typed way to read a provider's settings (the builder, then the system property
 *       {@code wif4j.<provider>.<key>}, then {@code WIF4J_<PROVIDER>_<KEY>}, then the cloud's own
 *       variables), with ranges, choices, durations, booleans, files and endpoints. Every value knows
 *       where it came from, so a message names the place the user must fix.</li>
 *   <li>{@link dev.wif4j.spi.support.SettingException}: the one exception a bad setting raises.
 *       {@code detect}, which never throws, catches it and reports the provider unavailable with its
 *       message; thrown from {@code open} or {@code fetch}, it is the
 *       {@link dev.wif4j.spi.IdentityTokenException} the user sees.</li>
 *   <li>{@link dev.wif4j.spi.support.Endpoints}: the https-or-loopback rule for any URL a token is sent
 *       to or fetched from (wif4j's own base URL uses the same rule), and a URL described for a message
 *       without what may hold a secret.</li>
 *   <li>{@link dev.wif4j.spi.support.BoundedHttp}: one HTTP attempt with a deadline for the whole
 *       call, body included, and a size cap: the shape of a fetch (retries belong to wif4j's exchange,
 *       see {@link dev.wif4j.spi.IdentityTokenSource}).</li>
 *   <li>{@link dev.wif4j.spi.support.Dmi}: the machine's DMI data ({@code /sys/class/dmi/id}), which
 *       tells a cloud VM from a laptop without a network call.</li>
 *   <li>{@link dev.wif4j.spi.support.SmallFiles}: a token, secret or profile file read with a cap, never
 *       opening a FIFO or a device that could hang or flood the process.</li>
 *   <li>{@link dev.wif4j.spi.support.SafePaths}: whether another user could change what a path names
 *       (the owner and mode of a file and of every directory above it).</li>
 *   <li>{@link dev.wif4j.spi.support.Text}: values quoted safely into messages.</li>
 *   <li>{@link dev.wif4j.spi.support.ProviderIds}: the rule for provider ids.</li>
 * </ul>
 */
package dev.wif4j.spi.support;
