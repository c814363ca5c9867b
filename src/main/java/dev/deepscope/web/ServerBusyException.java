package dev.deepscope.web;

import java.time.Duration;

/** Every admission slot is taken: answered 429 with Retry-After, at once. */
public class ServerBusyException extends RuntimeException {

    private final Duration retryAfter;

    public ServerBusyException(Duration retryAfter) {
        this(retryAfter, "The server is busy with other experiments; try again in "
                + Math.max(1, retryAfter.toSeconds()) + " s.");
    }

    public ServerBusyException(Duration retryAfter, String message) {
        super(message);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
