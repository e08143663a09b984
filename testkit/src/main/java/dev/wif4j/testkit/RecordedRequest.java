package dev.wif4j.testkit;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A request an emulator received, for assertions on what a client sent. The body may hold secrets
 * (an assertion, a client secret): it is test data, never log it from production code.
 *
 * @param method the HTTP method
 * @param path the path and query
 * @param headers the headers, names in lower case
 * @param body the body as text
 */
public record RecordedRequest(String method, String path, Map<String, List<String>> headers, String body) {

    /**
     * @param name a header name, any case
     * @return its first value
     */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    @Override
    public String toString() {
        return "RecordedRequest[" + method + " " + path + ", headers=" + headers.keySet() + "]";
    }
}
