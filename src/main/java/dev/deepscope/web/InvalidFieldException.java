package dev.deepscope.web;

import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;

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
        return new InvalidFieldException(field.isEmpty() ? "body" : field, "is not valid: " + e.getOriginalMessage());
    }

    /** The same error seen from an enclosing object, e.g. {@code pixels} → {@code params.pixels}. */
    public InvalidFieldException within(String parent) {
        return new InvalidFieldException(parent + "." + field, getMessage());
    }
}
