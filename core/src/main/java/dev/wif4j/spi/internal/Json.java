package dev.wif4j.spi.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonTokenId;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The little JSON core needs, on Jackson's streaming API alone: databind costs hundreds of classes at
 * start-up for three small documents (the token response, an error body, a profile) and a JWT's parts.
 *
 * <p>A document becomes plain Java values: {@link Map} (insertion-ordered, unmodifiable) for an object,
 * {@link List} for an array, {@link String}, {@link Long} or {@link java.math.BigInteger} for a whole
 * number, {@link Double} for any other number, {@link Boolean}, and {@code null} for JSON null; the same
 * types databind's untyped reading gives with {@code USE_LONG_FOR_INTS}.
 */
public final class Json {
    /** Deeper documents are refused: no document core reads nests more than three levels. */
    public static final int MAX_DEPTH = 64;

    /**
     * Jackson's defaults: {@link #MAX_DEPTH} is kept by the reader below rather than by a factory builder and a
     * constraints builder, three classes fewer to load before a cold JVM's first exchange can go out.
     */
    private static final JsonFactory FACTORY = new JsonFactory();

    /** The input is not one JSON value, or it nests too deeply. */
    public static final class SyntaxException extends IOException {
        private static final long serialVersionUID = 1L;
        /** What is wrong, and where, without a word of the input. */
        private final String problem;

        SyntaxException(String prefix, String problem) {
            super(prefix + problem);
            this.problem = problem;
        }

        /**
         * Made here, typed as its supertype: the JVM then loads this class at the first document that is not
         * JSON, not when it verifies {@link Json}, which reads every identity token (issue 32).
         */
        private static IOException of(String prefix, String problem) {
            return new SyntaxException(prefix, problem);
        }

        /**
         * What is wrong and where, quoting nothing of the input: the message without its {@code not JSON: }.
         *
         * @return e.g. {@code an unexpected character or word at line 1, column 4}
         */
        public String problem() {
            return problem;
        }
    }

    /** An object repeats a key, and the reader was asked to refuse that. */
    public static final class DuplicateKeyException extends IOException {
        private static final long serialVersionUID = 1L;

        DuplicateKeyException(String key) {
            // Databind's wording, which messages quote.
            super("Duplicate field '" + key + "'");
        }

        /** Made here, typed as its supertype, as {@link SyntaxException}'s are. */
        private static IOException of(String key) {
            return new DuplicateKeyException(key);
        }
    }

    private Json() {}

    /**
     * Reads one JSON value; trailing content is an error.
     *
     * @param bytes the document, UTF-8
     * @param refuseDuplicateKeys whether an object that repeats a key is an error (else the last value wins)
     * @return the value, or {@code null} for JSON null or a document of white space alone
     * @throws DuplicateKeyException if a key repeats and that is refused
     * @throws SyntaxException if the bytes are not one JSON value
     */
    public static Object parse(byte[] bytes, boolean refuseDuplicateKeys) throws IOException {
        return read(bytes, null, refuseDuplicateKeys);
    }

    /**
     * Reads one JSON value from bytes that must be UTF-8, as a JWT's parts (RFC 7519 §7.2) and an HTTP API's JSON
     * (RFC 8259 §8.1) must: bytes that are not UTF-8 are an error, where {@link #parse} would also read UTF-16 and
     * UTF-32. Jackson's reader of text is the
     * one an application's {@code readTree(String)} loads too, so a cold JVM decodes its identity token without
     * loading a second reader first.
     *
     * @param bytes the document, UTF-8, with or without a byte order mark
     * @param refuseDuplicateKeys whether an object that repeats a key is an error (else the last value wins)
     * @return the value, or {@code null} for JSON null or a document of white space alone
     * @throws DuplicateKeyException if a key repeats and that is refused
     * @throws SyntaxException if the bytes are not UTF-8 or not one JSON value
     */
    public static Object parseUtf8(byte[] bytes, boolean refuseDuplicateKeys) throws IOException {
        CharBuffer text;
        try {
            // A new decoder reports malformed input rather than replacing it.
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
        } catch (CharacterCodingException e) {
            throw SyntaxException.of("not JSON: ", "bytes that are not UTF-8");
        }
        if (text.hasRemaining() && text.get(text.position()) == '\uFEFF') {
            text.position(text.position() + 1); // a byte order mark, which the byte reader skips too
        }
        return read(null, text, refuseDuplicateKeys);
    }

    /** Reads {@code bytes}, or else {@code text} (a decoder's buffer, read in place from its position). */
    private static Object read(byte[] bytes, CharBuffer text, boolean refuseDuplicateKeys) throws IOException {
        try (JsonParser parser = bytes != null ? FACTORY.createParser(bytes)
                : FACTORY.createParser(text.array(), text.arrayOffset() + text.position(), text.remaining())) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return null;
            }
            Object value = value(parser, first, refuseDuplicateKeys, 0);
            if (parser.nextToken() != null) {
                throw SyntaxException.of("", "trailing content after the JSON value");
            }
            return value;
        } catch (IOException | RuntimeException e) {
            // Ours go on as they are (told apart here, not by a catch clause, for the reason SyntaxException.of
            // gives). JsonParseException, StreamConstraintsException, number overflow: all are "not JSON".
            // Jackson's message quotes the input ("Unrecognized token 'aws_secret_access_key'"), so neither it
            // nor the exception carrying it goes any further: only the kind of error and where.
            if (e instanceof DuplicateKeyException || e instanceof SyntaxException) {
                throw e;
            }
            throw SyntaxException.of("not JSON: ", problem(e));
        }
    }

    /**
     * What is wrong with a document Jackson could not read, and where, without a word of the document:
     * Jackson's own message quotes the input, which may be a secret (a credentials file given by mistake).
     * For example {@code "an unexpected character or word at line 1, column 4"}.
     */
    private static String problem(Throwable e) {
        String kind = e instanceof JsonEOFException ? "the input ends inside a value"
                : e instanceof StreamConstraintsException ? "it exceeds a size or nesting limit"
                : e instanceof InputCoercionException ? "a number out of range"
                : e instanceof JsonParseException ? "an unexpected character or word"
                : "an unreadable document (" + e.getClass().getSimpleName() + ")";
        JsonLocation at = e instanceof JsonProcessingException p ? p.getLocation() : null;
        return at == null || at.getLineNr() < 1 ? kind : kind + " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    }

    /** The value {@code token} starts, which {@code depth} objects and arrays enclose. */
    private static Object value(JsonParser parser, JsonToken token, boolean refuseDuplicateKeys, int depth)
            throws IOException {
        if ((token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) && depth >= MAX_DEPTH) {
            // As Jackson's own limit would say it (StreamConstraintsException carries no location).
            throw SyntaxException.of("not JSON: ", "it exceeds a size or nesting limit");
        }
        // On the token's id, not the enum: a switch over another class's enum costs a synthetic class, which a cold
        // JVM reads and defines like any other.
        switch (token.id()) {
            case JsonTokenId.ID_START_OBJECT: {
                Map<String, Object> map = new LinkedHashMap<>();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
                    String key = parser.currentName();
                    Object v = value(parser, parser.nextToken(), refuseDuplicateKeys, depth + 1);
                    if (map.containsKey(key) && refuseDuplicateKeys) {
                        throw DuplicateKeyException.of(key);
                    }
                    map.put(key, v);
                }
                return Collections.unmodifiableMap(map);
            }
            case JsonTokenId.ID_START_ARRAY: {
                List<Object> list = new ArrayList<>();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                    list.add(value(parser, t, refuseDuplicateKeys, depth + 1));
                }
                return Collections.unmodifiableList(list);
            }
            case JsonTokenId.ID_STRING:
                return parser.getText();
            case JsonTokenId.ID_NUMBER_INT:
                return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? parser.getBigIntegerValue() : (Object) parser.getLongValue();
            case JsonTokenId.ID_NUMBER_FLOAT:
                return parser.getDoubleValue();
            case JsonTokenId.ID_TRUE:
                return Boolean.TRUE;
            case JsonTokenId.ID_FALSE:
                return Boolean.FALSE;
            case JsonTokenId.ID_NULL:
                return null;
            default:
                throw SyntaxException.of("", "unexpected " + token);
        }
    }

    /**
     * The value as compact JSON text, as it would appear in a document.
     *
     * @param value a value of the types {@link #parse} returns
     * @return the JSON text
     */
    public static String text(Object value) {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            write(generator, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * The value as compact JSON, UTF-8.
     *
     * @param value a value of the types {@link #parse} returns
     * @return the bytes
     */
    public static byte[] bytes(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            write(generator, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * The value's kind in JSON's words, for messages: {@code object}, {@code array}, {@code string},
     * {@code number}, {@code boolean} or {@code null}.
     *
     * @param value a value of the types {@link #parse} returns
     * @return the kind
     */
    public static String kind(Object value) {
        if (value instanceof Map) {
            return "object";
        }
        if (value instanceof List) {
            return "array";
        }
        if (value instanceof String) {
            return "string";
        }
        if (value instanceof Number) {
            return "number";
        }
        if (value instanceof Boolean) {
            return "boolean";
        }
        return "null";
    }

    private static void write(JsonGenerator generator, Object value) throws IOException {
        if (value == null) {
            generator.writeNull();
        } else if (value instanceof Map<?, ?> map) {
            generator.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                generator.writeFieldName(String.valueOf(e.getKey()));
                write(generator, e.getValue());
            }
            generator.writeEndObject();
        } else if (value instanceof List<?> list) {
            generator.writeStartArray();
            for (Object item : list) {
                write(generator, item);
            }
            generator.writeEndArray();
        } else if (value instanceof String s) {
            generator.writeString(s);
        } else if (value instanceof Long l) {
            generator.writeNumber(l);
        } else if (value instanceof java.math.BigInteger b) {
            generator.writeNumber(b);
        } else if (value instanceof Double d) {
            generator.writeNumber(d);
        } else if (value instanceof Number n) {
            generator.writeNumber(n.toString());
        } else if (value instanceof Boolean b) {
            generator.writeBoolean(b);
        } else {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        }
    }
}
