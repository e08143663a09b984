package dev.wif4j.spi.support;

import dev.wif4j.spi.internal.Json;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A token service's JSON answer, read on wif4j's own jackson-core: a provider needs no JSON library of its own
 * (and brings none onto its users' class path) to take a token and an error out of a small answer.
 *
 * <pre>{@code
 * JsonAnswer answer = JsonAnswer.parse(response.body(), "Vault at https://vault.acme.internal:8200");
 * String jwt = answer.requireString("data", "token");          // {"data": {"token": "eyJ..."}}
 * List<String> errors = answer.strings("errors");              // {"errors": ["permission denied"]}
 * }</pre>
 *
 * <p>A field is named by its path, one name per level. The {@code require...} methods are strict: a missing,
 * {@code null} or blank field, or one of another type, is a {@link JsonAnswerException}. The others are lenient and
 * answer empty for all of those, for optional fields such as an error's description. Messages name the upstream and
 * the field, never a value: the answer carries a token. Repeated keys are refused, so that two readers of the same
 * answer cannot disagree on a value.
 */
public final class JsonAnswer {
    private final Map<?, ?> root;
    private final String upstream;

    private JsonAnswer(Map<?, ?> root, String upstream) {
        this.root = root;
        this.upstream = upstream;
    }

    /**
     * Reads a JSON object.
     *
     * @param body the answer's bytes, UTF-8
     * @param upstream what answered, for messages, e.g. {@code "the GitHub Actions token service"}
     * @return the answer
     * @throws JsonAnswerException if the body is not JSON, not an object, or repeats a key
     */
    public static JsonAnswer parse(byte[] body, String upstream) {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(upstream, "upstream");
        Object value;
        try {
            value = Json.parse(body, true);
        } catch (Json.DuplicateKeyException e) {
            throw new JsonAnswerException(upstream + " answered with JSON that repeats a key, so which value counts "
                    + "is unclear (" + body.length + " bytes).", JsonAnswerException.Kind.REPEATED_KEY, null,
                    "an object repeats a key");
        } catch (IOException e) {
            // Json's messages say what is wrong and where, never what the body held.
            String detail = e instanceof Json.SyntaxException syntax ? syntax.problem() : e.getClass().getSimpleName();
            throw new JsonAnswerException(upstream + " answered with a body that is not JSON (" + detail + ", "
                    + body.length + " bytes).", JsonAnswerException.Kind.NOT_JSON, null, detail);
        }
        if (!(value instanceof Map<?, ?> map)) {
            String detail = "a JSON " + Json.kind(value) + ", not an object";
            throw new JsonAnswerException(upstream + " answered with " + detail + " (" + body.length + " bytes).",
                    JsonAnswerException.Kind.NOT_AN_OBJECT, null, detail);
        }
        return new JsonAnswer(map, upstream);
    }

    /**
     * What answered, as given to {@link #parse}.
     *
     * @return the upstream's description
     */
    public String upstream() {
        return upstream;
    }

    /**
     * The names of the top-level fields, e.g. to tell an error answer from a token answer.
     *
     * @return the names, in the answer's order
     */
    public Set<String> fields() {
        Set<String> names = new LinkedHashSet<>();
        for (Object key : root.keySet()) {
            names.add(String.valueOf(key));
        }
        return Collections.unmodifiableSet(names);
    }

    /**
     * Whether a field is present and not {@code null}.
     *
     * @param path the field's path
     * @return {@code true} if it holds a value
     */
    public boolean has(String... path) {
        return at(path) != null;
    }

    /**
     * A string field, leniently.
     *
     * @param path the field's path, e.g. {@code "error_description"}
     * @return its value; empty if it is absent, {@code null}, blank or not a string
     */
    public Optional<String> string(String... path) {
        return at(path) instanceof String s && !s.isBlank() ? Optional.of(s) : Optional.empty();
    }

    /**
     * A string field that must be there.
     *
     * @param path the field's path, e.g. {@code "data", "token"}
     * @return its value, not blank
     * @throws JsonAnswerException if it is absent, {@code null}, blank or not a string
     */
    public String requireString(String... path) {
        Object value = at(path);
        if (value instanceof String s && !s.isBlank()) {
            return s;
        }
        throw value == null || value instanceof String ? missing(path) : wrongType(path, value, "a string");
    }

    /**
     * A whole-number field ({@code 3600} or {@code 3600.0}), leniently.
     *
     * @param path the field's path, e.g. {@code "expires_in"}
     * @return its value; empty if it is absent, {@code null}, not a whole number or out of a long's range
     */
    public OptionalLong number(String... path) {
        Long n = whole(at(path));
        return n == null ? OptionalLong.empty() : OptionalLong.of(n);
    }

    /**
     * A whole-number field that must be there.
     *
     * @param path the field's path
     * @return its value
     * @throws JsonAnswerException if it is absent, {@code null}, or not a whole number in a long's range
     */
    public long requireNumber(String... path) {
        Object value = at(path);
        Long n = whole(value);
        if (n != null) {
            return n;
        }
        throw value == null ? missing(path) : wrongType(path, value, "a whole number");
    }

    /**
     * An array of strings, such as Vault's {@code errors}, leniently: elements that are not strings are left out.
     *
     * @param path the field's path
     * @return the strings, in order; empty if the field is absent or not an array
     */
    public List<String> strings(String... path) {
        List<String> out = new ArrayList<>();
        if (at(path) instanceof List<?> list) {
            for (Object element : list) {
                if (element instanceof String s) {
                    out.add(s);
                }
            }
        }
        return List.copyOf(out);
    }

    /**
     * A nested object, leniently.
     *
     * @param path the field's path
     * @return the object as an answer of its own (same upstream); empty if it is absent or not an object
     */
    public Optional<JsonAnswer> object(String... path) {
        return at(path) instanceof Map<?, ?> map ? Optional.of(new JsonAnswer(map, upstream)) : Optional.empty();
    }

    private Object at(String... path) {
        if (path.length == 0) {
            throw new IllegalArgumentException("a field's path has at least one name");
        }
        Object node = root;
        for (String name : path) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = map.get(Objects.requireNonNull(name, "name"));
        }
        return node;
    }

    private static Long whole(Object value) {
        if (value instanceof Long l) {
            return l;
        }
        if (value instanceof BigInteger b) {
            return b.bitLength() < 64 ? b.longValue() : null;
        }
        if (value instanceof Double d && !d.isNaN() && !d.isInfinite() && d == Math.rint(d)
                && Math.abs(d) < 0x1p63) {
            return d.longValue();
        }
        return null;
    }

    private JsonAnswerException missing(String[] path) {
        String field = String.join(".", path);
        return new JsonAnswerException(upstream + " answered without " + field + ".", JsonAnswerException.Kind.MISSING,
                field, field + " is missing");
    }

    private JsonAnswerException wrongType(String[] path, Object value, String expected) {
        String field = String.join(".", path);
        String detail = field + " holds " + a(Json.kind(value)) + ", not " + expected;
        return new JsonAnswerException(upstream + " answered with " + field + " holding " + a(Json.kind(value))
                + ", not " + expected + ".", JsonAnswerException.Kind.WRONG_TYPE, field, detail);
    }

    /** A JSON kind with its article: "an array", "a string". */
    private static String a(String kind) {
        return (kind.startsWith("a") || kind.startsWith("o") ? "an " : "a ") + kind;
    }

    @Override
    public String toString() {
        // Field names only: the values hold tokens.
        return "JsonAnswer[" + upstream + ", fields " + fields() + "]";
    }
}
