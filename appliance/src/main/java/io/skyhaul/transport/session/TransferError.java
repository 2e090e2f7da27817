package io.skyhaul.transport.session;

/**
 * Why a transfer failed: one code per kind, with its wire code (in ERROR and RESULT packets)
 * and the CLI exit status it maps to (documented in docs/protocol.md and the CLI help).
 */
public enum TransferError {
    PROTOCOL(1, 1),
    REFUSED(2, 6),
    NOT_FOUND(3, 6),
    LOCAL_IO(4, 5),
    REMOTE_IO(5, 1),
    DIGEST_MISMATCH(6, 1),
    PEER_SILENT(7, 4),
    NO_ANSWER(8, 4),
    CANCELLED(9, 1);

    private final int wireCode;
    private final int exitCode;

    TransferError(int wireCode, int exitCode) {
        this.wireCode = wireCode;
        this.exitCode = exitCode;
    }

    public int wireCode() {
        return wireCode;
    }

    public int exitCode() {
        return exitCode;
    }

    public static TransferError fromWire(int code) {
        for (TransferError e : values()) {
            if (e.wireCode == code) {
                return e;
            }
        }
        return PROTOCOL;
    }
}
