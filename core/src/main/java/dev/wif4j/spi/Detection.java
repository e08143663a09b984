package dev.wif4j.spi;

import java.util.Objects;

/**
 * A provider's verdict on the environment: available, with the evidence that says so, or
 * unavailable, with a reason a user can act on. Either way the sentence is shown in the
 * detection report ({@code wif4j detect}).
 */
public final class Detection {
    private final boolean available;
    private final String message;

    private Detection(boolean available, String message) {
        this.available = available;
        this.message = Objects.requireNonNull(message, "message");
        if (message.isBlank()) {
            throw new IllegalArgumentException("a detection needs a non-blank sentence saying why");
        }
    }

    /**
     * The provider can supply identity tokens here.
     *
     * @param evidence what was seen, e.g. "KUBERNETES_SERVICE_HOST is set and
     *     /var/run/secrets/anthropic.com/token exists"; never {@code null} or blank
     * @return the verdict
     */
    public static Detection available(String evidence) {
        return new Detection(true, evidence);
    }

    /**
     * The provider cannot supply identity tokens here.
     *
     * @param reason what is missing and how to fix it, e.g. "GITHUB_ACTIONS is set but
     *     ACTIONS_ID_TOKEN_REQUEST_URL is not: add 'permissions: id-token: write' to the job";
     *     never {@code null} or blank
     * @return the verdict
     */
    public static Detection unavailable(String reason) {
        return new Detection(false, reason);
    }

    /**
     * Whether the provider is available.
     *
     * @return {@code true} if the provider can supply tokens here
     */
    public boolean isAvailable() {
        return available;
    }

    /**
     * The evidence (when available) or the reason (when not).
     *
     * @return a sentence for the user; never {@code null}
     */
    public String message() {
        return message;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Detection d && d.available == available && d.message.equals(message);
    }

    @Override
    public int hashCode() {
        return Boolean.hashCode(available) * 31 + message.hashCode();
    }

    @Override
    public String toString() {
        return (available ? "available: " : "unavailable: ") + message;
    }
}
