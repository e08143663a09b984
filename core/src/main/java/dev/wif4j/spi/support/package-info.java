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
 *   <li>{@link dev.wif4j.spi.support.SettingException}: the one exception a bad setting raises. Thrown
 *       from {@code detect}, it makes the provider unavailable with its message (no provider catches it);
 *       thrown from {@code open} or {@code fetch}, it is the {@link dev.wif4j.spi.IdentityTokenException}
 *       the user sees.</li>
 *   <li>{@link dev.wif4j.spi.support.Endpoints}: the https-or-loopback rule for any URL a token is sent
 *       to or fetched from (wif4j's own base URL uses the same rule), and a URL described for a message
 *       without what may hold a secret.</li>
 *   <li>{@link dev.wif4j.spi.support.BoundedHttp}: one HTTP attempt with a deadline for the whole
 *       call, body included, and a size cap: the shape of a fetch (retries belong to wif4j's exchange,
 *       see {@link dev.wif4j.spi.IdentityTokenSource}).</li>
 *   <li>{@link dev.wif4j.spi.support.UpstreamHttp}: the client for calling an upstream token service,
 *       through the JDK's proxy settings (the context's probe client never uses a proxy).</li>
 *   <li>{@link dev.wif4j.spi.support.JsonAnswer}: a token service's JSON answer read on wif4j's own
 *       jackson-core (fields, nested fields, typed errors that never quote the body); no JSON library of
 *       the provider's own.</li>
 *   <li>{@link dev.wif4j.spi.support.TokenFile}: a token or secret file read afresh, capped, never a FIFO,
 *       whole across an atomic swap, with one vocabulary of errors.</li>
 *   <li>{@link dev.wif4j.spi.support.FirstTokenLog}: the first token's rule-relevant claims described
 *       once, at INFO, so users can write a narrow federation rule.</li>
 *   <li>{@link dev.wif4j.spi.support.Dmi}: the machine's DMI data ({@code /sys/class/dmi/id}), which
 *       tells a cloud VM from a laptop without a network call.</li>
 *   <li>{@link dev.wif4j.spi.support.SmallFiles}: a token, secret or profile file read with a cap, never
 *       opening a FIFO or a device that could hang or flood the process.</li>
 *   <li>{@link dev.wif4j.spi.support.SafePaths}: whether another user could change what a path names
 *       (the owner and mode of a file and of every directory above it).</li>
 *   <li>{@link dev.wif4j.spi.support.Text}: values quoted, escaped and scrubbed for messages.</li>
 *   <li>{@link dev.wif4j.spi.support.ProviderIds}: the rule for provider ids.</li>
 * </ul>
 */
package dev.wif4j.spi.support;
