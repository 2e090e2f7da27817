package io.skyhaul.linkem;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Where a delivered packet goes: a UDP socket towards the target or a client, or a TUN device.
 * Called only from a direction's delivery thread.
 */
@FunctionalInterface
interface PacketSink {

    /** Writes the packet's bytes between position and limit. */
    void deliver(ByteBuffer packet) throws IOException;
}
