package io.skyhaul.gateway.spool;

/** A body the spool refuses on its merits (wrong length or digest, bad name, larger than the spool): retrying will not help. */
public final class SpoolRefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean tooLarge;

    public SpoolRefusedException(String message) {
        this(message, false);
    }

    /** @param tooLarge the body is larger than the whole spool could ever hold */
    public SpoolRefusedException(String message, boolean tooLarge) {
        super(message);
        this.tooLarge = tooLarge;
    }

    public boolean tooLarge() {
        return tooLarge;
    }
}
