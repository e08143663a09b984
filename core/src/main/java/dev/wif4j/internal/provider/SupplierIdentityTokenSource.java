package dev.wif4j.internal.provider;

import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.IdentityTokenSource;
import java.util.Objects;
import java.util.function.Supplier;

/** Identity tokens from code: a supplier of fresh JWTs, given to {@code Builder.identityTokenSupplier}. */
public final class SupplierIdentityTokenSource implements IdentityTokenSource {
    private final Supplier<String> jwtSupplier;

    /**
     * Wraps the supplier.
     *
     * @param jwtSupplier returns a new serialized JWT on every call
     */
    public SupplierIdentityTokenSource(Supplier<String> jwtSupplier) {
        this.jwtSupplier = Objects.requireNonNull(jwtSupplier, "jwtSupplier");
    }

    @Override
    public IdentityToken fetch() {
        return IdentityToken.parse(Objects.requireNonNull(jwtSupplier.get(), "the supplier returned null").strip());
    }

    @Override
    public String toString() {
        return "SupplierIdentityTokenSource";
    }
}
