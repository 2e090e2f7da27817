package io.skyhaul.gateway.spool;

/** A body the spool refuses on its merits (wrong length or digest, bad name, larger than the spool): retrying will not help. */
public final class SpoolRefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    public SpoolRefusedException(String message) {
        super(message);
    }
}
