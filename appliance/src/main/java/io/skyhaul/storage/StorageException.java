package io.skyhaul.storage;

import java.util.Objects;

/**
 * A storage operation failed. The message says what happened and what an operator can do about
 * it; it never contains a secret.
 */
public final class StorageException extends Exception {
    private static final long serialVersionUID = 1L;

    private final StorageError error;

    public StorageException(StorageError error, String message) {
        this(error, message, null);
    }

    public StorageException(StorageError error, String message, Throwable cause) {
        super(message, cause);
        this.error = Objects.requireNonNull(error, "error");
    }

    public StorageError error() {
        return error;
    }

    @Override
    public String toString() {
        return "StorageException[" + error + "]: " + getMessage();
    }
}
