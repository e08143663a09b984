package dev.wif4j.spring;

import dev.wif4j.WorkloadIdentity;
import dev.wif4j.WorkloadIdentityBuilder;

/**
 * Adjusts the {@link WorkloadIdentityBuilder} the starter configures from the {@code wif4j.*} properties,
 * after the properties are applied and before it is built: for what only code can say (an
 * {@code IdentityTokenSource}, an {@code HttpClient}, timeouts). Declare one or more as beans.
 */
@FunctionalInterface
public interface WorkloadIdentityBuilderCustomizer {

    /**
     * Customizes the builder.
     *
     * @param builder the builder, with the properties applied
     */
    void customize(WorkloadIdentityBuilder builder);
}
