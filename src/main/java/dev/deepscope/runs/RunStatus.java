package dev.deepscope.runs;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

public enum RunStatus {
    RUNNING, DONE, ERROR, CANCELLED,
    /** The server stopped while the run was computing. */
    INTERRUPTED;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    static RunStatus of(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
