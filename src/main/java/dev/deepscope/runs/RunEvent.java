package dev.deepscope.runs;

import java.time.Instant;
import java.util.Set;

/**
 * One event of a run: its sequence number (the SSE id, from 1), its type (the SSE event name), its data
 * as JSON text (stored exactly as first sent, so a replay is identical) and when it happened (for
 * replaying at the original pace).
 */
public record RunEvent(long id, String type, String data, Instant at) {

    public static final String DONE = "done";
    public static final String ERROR = "error";
    public static final String CANCELLED = "cancelled";
    private static final Set<String> TERMINAL = Set.of(DONE, ERROR, CANCELLED);

    public boolean isTerminal() {
        return TERMINAL.contains(type);
    }
}
