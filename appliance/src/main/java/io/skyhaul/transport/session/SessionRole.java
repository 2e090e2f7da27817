package io.skyhaul.transport.session;

import io.skyhaul.transport.wire.PacketType;
import java.nio.ByteBuffer;

/** The data-moving half of a session: {@link DataSender} or {@link DataReceiver}. */
interface SessionRole {
    void start();

    /** An authenticated packet from the peer; {@code body} is positioned at the body. */
    void onPacket(PacketType type, long packetNumber, ByteBuffer body, long nowNanos);

    /** Releases files, threads and timers; idempotent. */
    void close();
}
