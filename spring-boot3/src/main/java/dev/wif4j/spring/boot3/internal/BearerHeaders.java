package dev.wif4j.spring.boot3.internal;

import dev.wif4j.AccessToken;
import dev.wif4j.HttpAuthorization;
import org.springframework.http.HttpHeaders;

/** What both of the starter's hooks set on a request for the Claude API: the same as the other wif4j interceptors. */
final class BearerHeaders {
    private static final String BETA = "anthropic-beta";

    private BearerHeaders() {}

    /**
     * Sets {@code Authorization: Bearer}, adds the OAuth beta to {@code anthropic-beta} once (keeping the others and
     * their order) and removes {@code x-api-key}.
     */
    static void authorize(HttpHeaders headers, AccessToken token) {
        String betas = HttpAuthorization.betaHeader(headers.getOrEmpty(BETA));
        headers.remove("x-api-key");
        headers.set(HttpHeaders.AUTHORIZATION, token.authorizationHeaderValue());
        headers.set(BETA, betas);
    }
}
