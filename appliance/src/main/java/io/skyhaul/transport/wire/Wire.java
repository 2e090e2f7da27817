package io.skyhaul.transport.wire;

import io.skyhaul.transport.crypto.PacketProtection;

/**
 * Layout constants of a datagram:
 * {@code version(1) | type(1) | connection id(8) | packet number(8) | [HELLO: ticket length(2) | ticket] | sealed body | tag(16)}.
 * Everything before the sealed body is the AEAD's associated data.
 */
public final class Wire {
    public static final int VERSION = 0xB1;
    public static final int HEADER_LENGTH = 18;
    public static final int OFFSET_TYPE = 1;
    public static final int OFFSET_CONNECTION_ID = 2;
    public static final int OFFSET_PACKET_NUMBER = 10;
    /** Fields of a DATA body before its payload: the offset in the byte space (8). */
    public static final int DATA_FIELDS = 8;
    /** A HELLO is padded to at least this size, so the answer to it never exceeds it (anti-amplification). */
    public static final int MIN_HELLO_DATAGRAM = 1200;
    /** Bytes a datagram spends on everything but DATA payload. */
    public static final int DATA_OVERHEAD = HEADER_LENGTH + DATA_FIELDS + PacketProtection.TAG_LENGTH;
    /** Smallest and largest UDP payload sizes we accept as configuration. */
    public static final int MIN_DATAGRAM = 1200;
    public static final int MAX_DATAGRAM = 9000;

    private Wire() {
    }
}
