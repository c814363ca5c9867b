package dev.deepscope.errors;

import java.util.Map;

/**
 * An id the client sent that named something here once and was removed (a run past its retention): answered
 * 410 Gone. An id never seen is a {@link NotFoundException} instead. {@code properties} are added to the
 * problem (e.g. when and why it was removed).
 */
public class GoneException extends RuntimeException {

    private final String field;
    private final Map<String, Object> properties;

    public GoneException(String field, String message, Map<String, Object> properties) {
        super(message);
        this.field = field;
        this.properties = Map.copyOf(properties);
    }

    public String field() {
        return field;
    }

    public Map<String, Object> properties() {
        return properties;
    }
}
