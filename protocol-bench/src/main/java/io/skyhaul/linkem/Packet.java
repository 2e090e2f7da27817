package io.skyhaul.linkem;

import java.nio.ByteBuffer;

/**
 * One datagram or IP packet travelling through a direction, in a pooled direct buffer (so the
 * OS can read from it without another copy), with where and when to deliver it.
 */
final class Packet {

    final ByteBuffer data;
    final int sizeClass;
    int length;
    PacketSink sink;
    long deliverAtNanos;

    Packet(ByteBuffer data, int sizeClass) {
        this.data = data;
        this.sizeClass = sizeClass;
    }

    /** Copies the remaining bytes of {@code source} without moving its position. */
    void fill(ByteBuffer source, PacketSink destination) {
        int position = source.position();
        length = source.remaining();
        data.clear();
        data.put(source);
        data.flip();
        source.position(position);
        sink = destination;
    }

    /** The payload, positioned for one write. */
    ByteBuffer payload() {
        data.limit(length).position(0);
        return data;
    }
}
