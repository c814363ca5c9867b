package dev.deepscope.runs;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;

/**
 * One event of a run: its sequence number (the SSE id, from 1), its type (the SSE event name), its data
 * as JSON text (stored exactly as first sent, so a replay is identical) and when it happened (for
 * replaying at the original pace).
 */
public final class RunEvent {

    public static final String DONE = "done";
    public static final String ERROR = "error";
    public static final String CANCELLED = "cancelled";
    private static final Set<String> TERMINAL = Set.of(DONE, ERROR, CANCELLED);

    private final long id;
    private final String type;
    private final String data;
    private final Instant at;
    private volatile byte[] frame;

    public RunEvent(long id, String type, String data, Instant at) {
        this.id = id;
        this.type = type;
        this.data = data;
        this.at = at;
    }

    public long id() {
        return id;
    }

    public String type() {
        return type;
    }

    public String data() {
        return data;
    }

    public Instant at() {
        return at;
    }

    public boolean isTerminal() {
        return TERMINAL.contains(type);
    }

    /**
     * The event as a server-sent-events frame ({@code id:}, {@code event:}, {@code data:}, blank line),
     * encoded once however many viewers a run has: a thousand viewers share one copy of each frame.
     * JSON text has no raw line breaks, so one {@code data:} line holds it.
     */
    public byte[] frame() {
        byte[] bytes = frame;
        if (bytes == null) {
            bytes = ("id:" + id + "\nevent:" + type + "\ndata:" + data + "\n\n").getBytes(StandardCharsets.UTF_8);
            frame = bytes;
        }
        return bytes;
    }
}
