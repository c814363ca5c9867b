package dev.deepscope.errors;

import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;

/** Bad client input, naming the field (a JSON path such as {@code params.pixels[3]}): answered 400. */
public class InvalidFieldException extends RuntimeException {

    private final String field;

    public InvalidFieldException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }

    /**
     * A JSON value of the wrong type, named by its path under {@code prefix}
     * (e.g. {@code params} + {@code .pixels[3]}); an empty prefix names it from the body's top.
     */
    public static InvalidFieldException wrongType(String prefix, JacksonException e) {
        String path = e.getPath().stream()
                .map(r -> r.getPropertyName() != null ? "." + r.getPropertyName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining());
        String field = prefix.isEmpty() ? (path.startsWith(".") ? path.substring(1) : path) : prefix + path;
        return new InvalidFieldException(field.isEmpty() ? "body" : field, expected(e));
    }

    /** What the field must be, in the client's terms (JSON types), never the parser's internals. */
    private static String expected(JacksonException e) {
        if (e instanceof InputCoercionException coercion) {
            return "is out of range: must be " + jsonType(coercion.getTargetType()) + " that fits"
                    + (coercion.getTargetType() == Integer.TYPE || coercion.getTargetType() == Integer.class
                    ? " in 32 bits" : " in 64 bits");
        }
        if (e instanceof StreamReadException && !(e instanceof MismatchedInputException)) {
            return "is not well-formed JSON";
        }
        if (!(e instanceof MismatchedInputException mismatch) || mismatch.getTargetType() == null) {
            return "is not valid here";
        }
        Class<?> type = mismatch.getTargetType();
        if (type.isEnum()) {
            return "must be one of " + Arrays.stream(type.getEnumConstants()).map(Object::toString).toList();
        }
        String expected = jsonType(type);
        return expected.equals("valid here") ? "is not valid here" : "must be " + expected;
    }

    /** A Java type as the JSON a client must send for it, e.g. {@code int} → "a whole number". */
    public static String jsonType(Class<?> type) {
        if (type == null) {
            return "valid here";
        }
        return JSON_TYPES.entrySet().stream().filter(t -> t.getKey().isAssignableFrom(box(type))).findFirst()
                .map(Map.Entry::getValue).orElse("valid here");
    }

    private static final Map<Class<?>, String> JSON_TYPES = new java.util.LinkedHashMap<>();

    static {
        JSON_TYPES.put(Integer.class, "a whole number");
        JSON_TYPES.put(Long.class, "a whole number");
        JSON_TYPES.put(Number.class, "a number");
        JSON_TYPES.put(Boolean.class, "true or false");
        JSON_TYPES.put(CharSequence.class, "text (a JSON string)");
        JSON_TYPES.put(Collection.class, "a list (a JSON array)");
        JSON_TYPES.put(Object[].class, "a list (a JSON array)");
        JSON_TYPES.put(float[].class, "a list of numbers");
        JSON_TYPES.put(double[].class, "a list of numbers");
        JSON_TYPES.put(int[].class, "a list of whole numbers");
        JSON_TYPES.put(Record.class, "an object (a JSON object)");
        JSON_TYPES.put(Map.class, "an object (a JSON object)");
    }

    private static Class<?> box(Class<?> type) {
        if (!type.isPrimitive()) {
            return type;
        }
        return type == int.class ? Integer.class : type == long.class ? Long.class : type == boolean.class
                ? Boolean.class : type == char.class ? Character.class : Number.class;
    }

    /** The same error seen from an enclosing object, e.g. {@code pixels} → {@code params.pixels}. */
    public InvalidFieldException within(String parent) {
        return new InvalidFieldException(parent + "." + field, getMessage());
    }
}
