package io.skyhaul.linkem;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Reusable direct buffers for the packets inside one direction, so that forwarding allocates
 * no buffers in the steady state. Buffers come in three size classes (a normal MTU, a jumbo
 * frame, the largest datagram) carved out of 1 MiB slabs, and the pool refuses to grow beyond
 * a byte budget so that a flood turns into counted drops, not an out-of-memory error.
 *
 * <p>Not thread-safe: the owning direction uses it under its lock.
 */
final class PacketPool {

    private static final int[] CLASS_BYTES = {2048, 9216, LinkDefaults.MAX_PACKET_BYTES};
    private static final int SLAB_BYTES = 1 << 20;

    private final List<ArrayDeque<Packet>> free = new ArrayList<>(CLASS_BYTES.length);
    private final long maxBytes;
    private long allocatedBytes;

    PacketPool(long maxBytes) {
        this.maxBytes = maxBytes;
        for (int i = 0; i < CLASS_BYTES.length; i++) {
            free.add(new ArrayDeque<>());
        }
    }

    /** A packet able to hold {@code length} bytes, or null if the budget is exhausted. */
    Packet acquire(int length) {
        int sizeClass = sizeClassFor(length);
        Packet packet = free.get(sizeClass).pollLast();
        if (packet != null) {
            return packet;
        }
        return grow(sizeClass) ? free.get(sizeClass).pollLast() : null;
    }

    void release(Packet packet) {
        packet.sink = null;
        free.get(packet.sizeClass).addLast(packet);
    }

    long allocatedBytes() {
        return allocatedBytes;
    }

    private boolean grow(int sizeClass) {
        int slotBytes = CLASS_BYTES[sizeClass];
        int slabBytes = Math.max(SLAB_BYTES, slotBytes);
        if (allocatedBytes + slabBytes > maxBytes) {
            return false;
        }
        ByteBuffer slab = ByteBuffer.allocateDirect(slabBytes);
        for (int offset = 0; offset + slotBytes <= slabBytes; offset += slotBytes) {
            free.get(sizeClass).addLast(new Packet(slab.slice(offset, slotBytes), sizeClass));
        }
        allocatedBytes += slabBytes;
        return true;
    }

    private static int sizeClassFor(int length) {
        for (int i = 0; i < CLASS_BYTES.length; i++) {
            if (length <= CLASS_BYTES[i]) {
                return i;
            }
        }
        throw new IllegalArgumentException("packet of " + length + " bytes exceeds " + LinkDefaults.MAX_PACKET_BYTES);
    }
}
