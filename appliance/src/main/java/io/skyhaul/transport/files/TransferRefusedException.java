package io.skyhaul.transport.files;

/** A request that a receiver or sender refuses on principle (unsafe name, out of scope, missing file). */
public final class TransferRefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    public TransferRefusedException(String message) {
        super(message);
    }
}
