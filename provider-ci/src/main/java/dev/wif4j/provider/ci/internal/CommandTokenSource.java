package dev.wif4j.provider.ci.internal;

import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.spi.support.Text;
import java.time.Duration;

/**
 * A token asked of the CI system's own tool on every fetch ({@code buildkite-agent oidc request-token},
 * {@code circleci run oidc get}): a new token each time, one run per fetch, bounded by the fetch timeout; wif4j's
 * exchange retries a run that failed for a passing reason.
 */
final class CommandTokenSource implements IdentityTokenSource {
    /** Anthropic takes assertions of at most 16 KiB; twice that is more than any CI token. */
    private static final int MAX_OUTPUT_BYTES = 32 * 1024;

    private final CiSystem system;
    private final Command command;
    private final String audience;
    private final Duration timeout;
    private final System.Logger log;

    CommandTokenSource(CiSystem system, Command command, String audience, Duration timeout, System.Logger log) {
        this.system = system;
        this.command = command;
        this.audience = audience;
        this.timeout = timeout;
        this.log = log;
    }

    @Override
    public IdentityToken fetch() {
        long start = System.nanoTime();
        log.log(System.Logger.Level.DEBUG, () -> "running " + command.shown() + " with the variables "
                + command.environmentNames());
        IdentityToken token = Tokens.parse("The output of " + command.shown(), command.run(timeout, MAX_OUTPUT_BYTES));
        if (!token.audience().contains(audience)) {
            throw new IdentityTokenException(command.shown() + " printed a token for the audience "
                    + Tokens.audience(token) + ", not the " + Text.escape(audience) + " it was asked for: is "
                    + command.shownPath() + " " + system.displayName() + "'s own tool?");
        }
        // IdentityToken.toString escapes the claims (its issuer's text), so a claim cannot forge a log line; escaping
        // it again would double every backslash.
        log.log(System.Logger.Level.DEBUG, () -> command.shown() + " gave " + token
                + " in " + (System.nanoTime() - start) / 1_000_000 + " ms");
        return token;
    }

    @Override
    public String toString() {
        return "CommandTokenSource[" + system.displayName() + ", " + command.shown() + "]";
    }
}
