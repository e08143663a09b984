package dev.wif4j;

import dev.wif4j.spi.Detection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What detection found: every installed provider, its verdict with evidence or reason, and the
 * provider chosen. {@code wif4j detect} prints it with {@link #toTable()}.
 */
public final class DetectionReport {

    /** How a provider took part in detection. */
    public enum Status {
        /** Available, and chosen. */
        CHOSEN,
        /** Available, but another provider ranked higher. */
        AVAILABLE,
        /** Asked, and not available here. */
        UNAVAILABLE,
        /** Not asked: an explicit choice or a documented variable took precedence. */
        SKIPPED,
        /** Switched off by {@code WIF4J_DISABLED_PROVIDERS}. */
        DISABLED
    }

    /**
     * One provider's line in the report.
     *
     * @param id the provider id
     * @param priority its priority
     * @param implementation the implementing class
     * @param location the module or jar it was loaded from
     * @param status how it took part
     * @param message its evidence or reason
     */
    public record Entry(String id, int priority, String implementation, String location, Status status,
            String message) {
        /**
         * Validates the entry.
         *
         * @param id the provider id
         * @param priority its priority
         * @param implementation the implementing class
         * @param location the module or jar it was loaded from
         * @param status how it took part
         * @param message its evidence or reason
         */
        public Entry {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(implementation, "implementation");
            Objects.requireNonNull(location, "location");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(message, "message");
        }

        /**
         * An entry built from a detection verdict.
         *
         * @param id the provider id
         * @param priority its priority
         * @param implementation the implementing class
         * @param location where it was loaded from
         * @param detection the verdict
         * @return the entry, {@link Status#AVAILABLE} or {@link Status#UNAVAILABLE}
         */
        public static Entry of(String id, int priority, String implementation, String location,
                Detection detection) {
            return new Entry(id, priority, implementation, location,
                    detection.isAvailable() ? Status.AVAILABLE : Status.UNAVAILABLE, detection.message());
        }
    }

    private final List<Entry> entries;
    private final String chosen;

    /**
     * Creates a report.
     *
     * @param entries one entry per installed provider, in report order
     * @param chosen the chosen provider's id; {@code null} if none
     */
    public DetectionReport(List<Entry> entries, String chosen) {
        this.entries = List.copyOf(entries);
        this.chosen = chosen;
    }

    /**
     * Every installed provider's entry.
     *
     * @return the entries, chosen first, then by priority and id
     */
    public List<Entry> entries() {
        return entries;
    }

    /**
     * The chosen provider.
     *
     * @return its id, if one was chosen
     */
    public Optional<String> chosen() {
        return Optional.ofNullable(chosen);
    }

    /**
     * The report as a plain-text table, one provider per line.
     *
     * @return the table, ending with a line break
     */
    public String toTable() {
        int idWidth = "PROVIDER".length();
        int statusWidth = "STATUS".length();
        for (Entry e : entries) {
            idWidth = Math.max(idWidth, e.id().length());
            statusWidth = Math.max(statusWidth, e.status().name().length());
        }
        String format = "%-" + idWidth + "s  %8s  %-" + statusWidth + "s  %s%n";
        StringBuilder out = new StringBuilder(String.format(format, "PROVIDER", "PRIORITY", "STATUS", "DETAIL"));
        for (Entry e : entries) {
            out.append(String.format(format, e.id(), e.priority(), e.status().name().toLowerCase(java.util.Locale.ROOT),
                    e.message()));
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return "DetectionReport[chosen=" + chosen + ", entries=" + entries + "]";
    }
}
