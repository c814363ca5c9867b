package dev.deepscope.web;

import java.time.Duration;

/** Every admission slot is taken: answered 429 with Retry-After, at once. */
public class ServerBusyException extends RuntimeException {

    private final Duration retryAfter;

    public ServerBusyException(Duration retryAfter) {
        super("The server is busy with other experiments; try again in " + retryAfter.toSeconds() + " s.");
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
