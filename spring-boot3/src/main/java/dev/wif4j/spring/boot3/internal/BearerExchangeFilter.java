package dev.wif4j.spring.boot3.internal;

import dev.wif4j.AccessToken;
import dev.wif4j.AnthropicCredentials;
import java.util.concurrent.Callable;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * For the application's {@code WebClient.Builder}, which Spring AI 1.1's {@code AnthropicApi} streams through and the
 * application's own clients share: {@link BearerRequestInterceptor}'s behaviour without blocking the caller. A
 * token fetch or refresh may wait on the network, so it runs on Reactor's bounded-elastic scheduler, never on the
 * thread that subscribed (a Netty event loop, often). A 401 answer is replayed once with a different token; the
 * request's body must then be one that can be written twice (Spring AI's is).
 */
public final class BearerExchangeFilter extends BearerHook implements ExchangeFilterFunction {

    /**
     * Creates the filter.
     *
     * @param credentials the token cache; its {@link AnthropicCredentials#tokenScope()} says where tokens go
     */
    public BearerExchangeFilter(AnthropicCredentials credentials) {
        super(credentials);
    }

    @Override
    public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
        if (!scope.permits(request.url()) || request.attribute(authorized).isPresent()) {
            return next.exchange(request);
        }
        return offloaded(credentials::token).flatMap(token -> next.exchange(authorize(request, token))
                .flatMap(response -> response.statusCode().value() != 401 ? Mono.just(response)
                        : offloaded(() -> credentials.replacementFor(token)).flatMap(fresh -> fresh.isEmpty()
                                ? Mono.just(response)
                                : response.releaseBody().then(next.exchange(authorize(request, fresh.get()))))));
    }

    private static <T> Mono<T> offloaded(Callable<T> blocking) {
        return Mono.fromCallable(blocking).subscribeOn(Schedulers.boundedElastic());
    }

    private ClientRequest authorize(ClientRequest request, AccessToken token) {
        return ClientRequest.from(request).attribute(authorized, Boolean.TRUE)
                .headers(headers -> BearerHeaders.authorize(headers, token)).build();
    }
}
