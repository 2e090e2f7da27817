package io.skyhaul.transport.ticket;

/** What a session may do, seen from the node (the ticket verifier). */
public enum Direction {
    /** The client sends files to the node. */
    UPLOAD(1),
    /** The client fetches files from the node. */
    DOWNLOAD(2),
    /** Either. */
    BOTH(3);

    private final int code;

    Direction(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public boolean allows(Direction wanted) {
        return this == BOTH || this == wanted;
    }

    public static Direction fromCode(int code) {
        for (Direction d : values()) {
            if (d.code == code) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown direction code " + code);
    }
}
