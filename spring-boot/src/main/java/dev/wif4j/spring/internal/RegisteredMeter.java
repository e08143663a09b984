package dev.wif4j.spring.internal;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * A meter registered by the starter, removed when its bean is destroyed: a registry that outlives the context
 * (the global one, or a test's) must not keep reading a closed identity.
 */
public final class RegisteredMeter implements AutoCloseable {
    private final MeterRegistry registry;
    private final Meter meter;

    /**
     * Holds a registered meter.
     *
     * @param registry where it is registered
     * @param meter the meter
     */
    public RegisteredMeter(MeterRegistry registry, Meter meter) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.meter = Objects.requireNonNull(meter, "meter");
    }

    /**
     * The meter.
     *
     * @return the registered meter
     */
    public Meter meter() {
        return meter;
    }

    /** Removes the meter from the registry. */
    @Override
    public void close() {
        registry.remove(meter);
    }
}
