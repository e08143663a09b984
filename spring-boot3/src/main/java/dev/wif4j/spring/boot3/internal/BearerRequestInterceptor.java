package dev.wif4j.spring.boot3.internal;

import dev.wif4j.AccessToken;
import dev.wif4j.AnthropicCredentials;
import java.io.IOException;
import java.util.Optional;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/**
 * For the application's {@code RestClient.Builder}, which Spring AI 1.1's {@code AnthropicApi} and the application's
 * own clients share: a request whose origin the credentials' {@link dev.wif4j.TokenScope} permits gets
 * {@code Authorization: Bearer}, the OAuth beta once and no {@code x-api-key}, and after a 401 is replayed once
 * with a different token ({@link AnthropicCredentials#replacementFor}); any other request passes untouched, and
 * no token is fetched for it. A request it has already authorised (it was added twice) passes through, so there
 * is never more than one replay. The replay goes straight to the request factory: interceptors added after this
 * one do not see it again.
 */
public final class BearerRequestInterceptor extends BearerHook implements ClientHttpRequestInterceptor {

    /**
     * Creates the interceptor.
     *
     * @param credentials the token cache; its {@link AnthropicCredentials#tokenScope()} says where tokens go
     */
    public BearerRequestInterceptor(AnthropicCredentials credentials) {
        super(credentials);
    }

    @Override
    public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
            throws IOException {
        if (!scope.permits(request.getURI()) || request.getAttributes().putIfAbsent(authorized, Boolean.TRUE) != null) {
            return execution.execute(request, body);
        }
        AccessToken token = credentials.token();
        BearerHeaders.authorize(request.getHeaders(), token);
        ClientHttpResponse response = execution.execute(request, body);
        Optional<AccessToken> fresh = response.getStatusCode().value() == 401
                ? replacementFor(token, response) : Optional.empty();
        if (fresh.isEmpty()) {
            return response; // not refused, or the credentials kept the token: it would be refused again
        }
        response.close();
        BearerHeaders.authorize(request.getHeaders(), fresh.get());
        return execution.execute(request, body);
    }

    private Optional<AccessToken> replacementFor(AccessToken refused, ClientHttpResponse response) {
        try {
            return credentials.replacementFor(refused);
        } catch (RuntimeException e) {
            response.close();
            throw e;
        }
    }
}
