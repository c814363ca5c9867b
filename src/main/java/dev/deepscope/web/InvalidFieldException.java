package dev.deepscope.web;

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

    /** The same error seen from an enclosing object, e.g. {@code pixels} → {@code params.pixels}. */
    public InvalidFieldException within(String parent) {
        return new InvalidFieldException(parent + "." + field, getMessage());
    }
}
