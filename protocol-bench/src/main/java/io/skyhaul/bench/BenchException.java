package io.skyhaul.bench;

/** The bench itself could not do its job (a process would not start, a file is missing); not a slow result. */
public final class BenchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BenchException(String message) {
        super(message);
    }

    public BenchException(String message, Throwable cause) {
        super(message, cause);
    }
}
