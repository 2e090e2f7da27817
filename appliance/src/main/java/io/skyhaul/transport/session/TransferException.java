package io.skyhaul.transport.session;

/** A failed transfer: the kind of failure and a message that says what went wrong and what to do. */
public final class TransferException extends Exception {
    private static final long serialVersionUID = 1L;
    private final TransferError error;

    public TransferException(TransferError error, String message) {
        super(message);
        this.error = error;
    }

    public TransferException(TransferError error, String message, Throwable cause) {
        super(message, cause);
        this.error = error;
    }

    public TransferError error() {
        return error;
    }
}
