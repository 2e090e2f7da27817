package io.skyhaul.transport.session;

import io.netty.buffer.ByteBuf;
import io.skyhaul.transport.crypto.PacketProtection;
import io.skyhaul.transport.wire.PacketType;
import io.skyhaul.transport.wire.Wire;

/**
 * First checks on a datagram before any cryptography: size, version, type. Rule: a malformed
 * datagram is dropped and counted, and costs the receiver no more than these few comparisons.
 */
final class DatagramHeader {
    private DatagramHeader() {
    }

    /** The packet type, or null when the datagram is dropped (and counted). */
    static PacketType check(ByteBuf datagram, int maxDatagram, TransportCounters counters) {
        int length = datagram.readableBytes();
        if (length > maxDatagram) {
            counters.oversized.increment();
            return null;
        }
        if (length < Wire.HEADER_LENGTH + PacketProtection.TAG_LENGTH) {
            counters.malformed.increment();
            return null;
        }
        int start = datagram.readerIndex();
        if ((datagram.getByte(start) & 0xff) != Wire.VERSION) {
            counters.malformed.increment();
            return null;
        }
        PacketType type = PacketType.fromCode(datagram.getByte(start + Wire.OFFSET_TYPE) & 0xff);
        if (type == null) {
            counters.malformed.increment();
        }
        return type;
    }

    static long connectionId(ByteBuf datagram) {
        return datagram.getLong(datagram.readerIndex() + Wire.OFFSET_CONNECTION_ID);
    }
}
