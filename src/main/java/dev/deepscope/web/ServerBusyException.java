package dev.deepscope.web;

import java.time.Duration;

/**
 * Answered 429 with Retry-After, at once: every admission slot is taken ({@link #SERVER_BUSY}), or the
 * caller already has as many runs computing as one session may ({@link #OWN_RUNS}). The problem's
 * {@code reason} tells the two apart, and both from a rate limit ({@code rate-limit}).
 */
public class ServerBusyException extends RuntimeException {

    /** The server is full with everyone's work. */
    public static final String SERVER_BUSY = "server-busy";
    /** The caller's own runs fill its share. */
    public static final String OWN_RUNS = "own-runs";

    private final Duration retryAfter;
    private final String reason;

    public ServerBusyException(Duration retryAfter) {
        this(retryAfter, "The server is busy with other experiments; try again in "
                + ProblemWriter.retryAfterSeconds(retryAfter) + " s.", SERVER_BUSY);
    }

    /** Every slot is taken ({@link #SERVER_BUSY}), said in the caller's terms. */
    public ServerBusyException(Duration retryAfter, String message) {
        this(retryAfter, message, SERVER_BUSY);
    }

    public ServerBusyException(Duration retryAfter, String message, String reason) {
        super(message);
        this.retryAfter = retryAfter;
        this.reason = reason;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    public String reason() {
        return reason;
    }
}
