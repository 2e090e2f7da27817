package io.skyhaul.gateway.spool;

import java.time.Duration;

/** The spool cannot take a body now (space, files or writers exhausted); the client should retry after {@link #retryAfter()}. */
public final class SpoolFullException extends Exception {
    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    public SpoolFullException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
