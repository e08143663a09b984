package dev.wif4j;

import java.io.Serial;

/**
 * No identity provider could be used: none is installed besides the built-ins, none is
 * available here, or the one the user chose is missing or unavailable. The message lists every
 * provider tried with its reason; {@link #report()} holds the same facts.
 */
public class IdentityProviderNotFoundException extends WorkloadIdentityException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final transient DetectionReport report;

    /**
     * Creates the exception.
     *
     * @param message the problem and its fix
     * @param report what detection found; never {@code null}
     */
    public IdentityProviderNotFoundException(String message, DetectionReport report) {
        super(message);
        this.report = report;
    }

    /**
     * What detection found.
     *
     * @return the report; {@code null} only after deserialization
     */
    public DetectionReport report() {
        return report;
    }
}
