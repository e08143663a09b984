package dev.wif4j;

import dev.wif4j.spi.IdentityTokenException;
import java.io.Serial;

/**
 * The identity provider could not give an identity token: a missing token file, a metadata server that
 * answered 404, a refused client secret. Thrown by what an application calls ({@link WorkloadIdentity},
 * its {@link AnthropicCredentials}) with the provider's message unchanged; its cause is the
 * {@link IdentityTokenException} the provider threw, which says whether another attempt may succeed
 * ({@link IdentityTokenException#isRetryable()}; the token exchange has already retried those).
 *
 * <p>Providers throw {@link IdentityTokenException}, the SPI's own exception, and so does a source opened
 * at the SPI level (the builder's {@code openIdentityTokenSource()}); core turns it into this one
 * where it reaches the application, so that {@code catch (WorkloadIdentityException e)} catches every
 * failure wif4j reports.
 */
public class IdentityProviderException extends WorkloadIdentityException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Reports a provider's failure to the application, with the provider's message.
     *
     * @param failure what the provider threw; never {@code null}
     */
    public IdentityProviderException(IdentityTokenException failure) {
        super(failure.getMessage(), failure);
    }
}
