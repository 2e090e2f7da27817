package io.skyhaul.transport.wire;

/** The packet types of protocol version 1; the body layouts are in docs/protocol.md. */
public enum PacketType {
    HELLO(1),
    HELLO_ACK(2),
    CONFIRM(3),
    DATA(4),
    FEEDBACK(5),
    PLAN(6),
    RESULT(7),
    CLOSE(8),
    ERROR(9);

    private static final PacketType[] BY_CODE = new PacketType[16];

    static {
        for (PacketType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;

    PacketType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The type for a wire code, or null for an unknown one. */
    public static PacketType fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
