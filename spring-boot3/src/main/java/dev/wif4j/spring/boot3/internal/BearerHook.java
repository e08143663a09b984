package dev.wif4j.spring.boot3.internal;

import dev.wif4j.AnthropicCredentials;
import dev.wif4j.TokenScope;
import java.util.Objects;

/** What the interceptor and the filter share: the token cache, and where its tokens may go. */
abstract class BearerHook {
    final AnthropicCredentials credentials;
    final TokenScope scope;
    /** The request attribute that marks a request this hook authorised, so a second copy of the hook passes it on. */
    final String authorized = getClass().getName() + ".authorized";

    BearerHook(AnthropicCredentials credentials) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.scope = credentials.tokenScope();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + scope + "]";
    }
}
