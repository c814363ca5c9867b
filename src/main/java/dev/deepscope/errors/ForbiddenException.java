package dev.deepscope.errors;

/** The caller may not do this to what it names (e.g. cancel another session's run): answered 403. */
public class ForbiddenException extends RuntimeException {

    private final String field;

    public ForbiddenException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
