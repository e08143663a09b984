package dev.wif4j.spring.boot3.internal;

import dev.wif4j.AccessToken;
import dev.wif4j.AnthropicCredentials;
import dev.wif4j.TokenScope;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/**
 * For the application's {@code RestClient.Builder}, which Spring AI 1.1's {@code AnthropicApi} and the application's
 * own clients share: a request whose origin the credentials' {@link TokenScope} permits gets
 * {@code Authorization: Bearer}, the OAuth beta once and no {@code x-api-key}, and after a 401 is replayed once
 * with a different token ({@link AnthropicCredentials#replacementFor}); any other request passes untouched, and
 * no token is fetched for it. A request it has already authorised (it was added twice) passes through, so there
 * is never more than one replay. The replay goes straight to the request factory: interceptors added after this
 * one do not see it again.
 */
public final class BearerRequestInterceptor implements ClientHttpRequestInterceptor {
    private static final String AUTHORIZED = BearerRequestInterceptor.class.getName() + ".authorized";

    private final AnthropicCredentials credentials;
    private final TokenScope scope;

    /**
     * Creates the interceptor.
     *
     * @param credentials the token cache; its {@link AnthropicCredentials#tokenScope()} says where tokens go
     */
    public BearerRequestInterceptor(AnthropicCredentials credentials) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.scope = credentials.tokenScope();
    }

    @Override
    public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
            throws IOException {
        if (!scope.permits(request.getURI()) || request.getAttributes().putIfAbsent(AUTHORIZED, Boolean.TRUE) != null) {
            return execution.execute(request, body);
        }
        AccessToken token = credentials.token();
        BearerHeaders.authorize(request.getHeaders(), token);
        ClientHttpResponse response = execution.execute(request, body);
        if (response.getStatusCode().value() != 401) {
            return response;
        }
        Optional<AccessToken> fresh;
        try {
            fresh = credentials.replacementFor(token);
        } catch (RuntimeException e) {
            response.close();
            throw e;
        }
        if (fresh.isEmpty()) {
            return response; // the credentials kept it: the same token would be refused again
        }
        response.close();
        BearerHeaders.authorize(request.getHeaders(), fresh.get());
        return execution.execute(request, body);
    }

    @Override
    public String toString() {
        return "BearerRequestInterceptor[" + scope + "]";
    }
}
