package dev.wif4j.provider.k8s;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A server a test class starts before its first test and closes after its last:
 * {@code @RegisterExtension static final Started<K8sCluster> CLUSTER = new Started<>(K8sCluster::new);}.
 *
 * @param <T> what is started
 */
final class Started<T extends AutoCloseable> implements BeforeAllCallback, AfterAllCallback {
    private final Supplier<T> start;
    private T value;

    Started(Supplier<T> start) {
        this.start = start;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        value = start.get();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        value.close();
        value = null;
    }

    /** @return the started value; only between the first and the last test */
    T get() {
        if (value == null) {
            throw new IllegalStateException("not started: register this as a static @RegisterExtension field");
        }
        return value;
    }
}
