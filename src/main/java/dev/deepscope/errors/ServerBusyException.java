package dev.deepscope.errors;

import java.time.Duration;

/**
 * Answered 429 with Retry-After, at once: every admission slot is taken ({@link #SERVER_BUSY}), the
 * caller's session already has as many runs (or a training experiment) computing as one session may
 * ({@link #OWN_RUNS}), or the caller's address or session holds its share of the slots
 * ({@code own-share}). The problem's {@code reason} tells them apart, and all from a rate limit
 * ({@code rate-limit}).
 */
public class ServerBusyException extends RuntimeException {

    /** The server is full with everyone's work. */
    public static final String SERVER_BUSY = "server-busy";
    /** The caller's own address or session already holds its share of the slots ({@code runs.Admission}). */
    public static final String OWN_SHARE = "own-share";
    /** The caller's own runs fill its share. */
    public static final String OWN_RUNS = "own-runs";

    private final Duration retryAfter;
    private final String reason;

    public ServerBusyException(Duration retryAfter) {
        this(retryAfter, "The server is busy with other experiments; try again in "
                + retryAfterSeconds(retryAfter) + " s.", SERVER_BUSY);
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

    /** Retry-After in whole seconds, rounded up so a request sent then passes; at least 1. */
    public static long retryAfterSeconds(Duration wait) {
        long seconds = wait.toSeconds() + (wait.toNanosPart() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    public String reason() {
        return reason;
    }
}
