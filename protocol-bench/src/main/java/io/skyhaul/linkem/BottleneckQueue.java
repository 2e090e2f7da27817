package io.skyhaul.linkem;

/**
 * A drop-tail queue of {@code capacityBytes} in front of a link that serializes at a fixed rate.
 *
 * <p>It holds no packets: it keeps the time at which the link will have finished sending all
 * bytes accepted so far, and from that knows how many bytes are still waiting. A packet is
 * accepted when it fits in the remaining room and then departs when its last bit has been
 * serialized ({@code bytes × 8 / rate} after the previous departure or its own arrival). Packets
 * that do not fit are dropped, as a full router buffer would. The serialization remainder is
 * carried over so that the long-run rate is exact even when one packet takes only a few
 * nanoseconds.
 *
 * <p>Not thread-safe: one direction uses it under its own lock.
 */
final class BottleneckQueue {

    /** Returned by {@link #admit} for a packet that does not fit. */
    static final long REJECTED = Long.MIN_VALUE;

    private static final long BITS_NANOS_PER_BYTE = 8L * 1_000_000_000L;

    private final long rateBitsPerSecond;
    private final long capacityBytes;
    private long busyUntilNanos;
    private long remainder;
    private boolean busy;

    /**
     * @param rateBitsPerSecond serialization rate; 0 means unlimited (every packet departs on arrival)
     * @param capacityBytes     room for bytes waiting or being serialized
     */
    BottleneckQueue(long rateBitsPerSecond, long capacityBytes) {
        if (rateBitsPerSecond < 0 || capacityBytes < 0) {
            throw new IllegalArgumentException("rate and capacity must not be negative");
        }
        this.rateBitsPerSecond = rateBitsPerSecond;
        this.capacityBytes = capacityBytes;
    }

    /**
     * Offers a packet arriving at {@code nowNanos}.
     *
     * @return the time its last bit leaves the bottleneck, or {@link #REJECTED} if the queue is full
     */
    long admit(int bytes, long nowNanos) {
        if (rateBitsPerSecond == 0) {
            return nowNanos;
        }
        if (backlogBytes(nowNanos) + bytes > capacityBytes) {
            return REJECTED;
        }
        long start;
        if (busy && busyUntilNanos - nowNanos > 0) {
            start = busyUntilNanos;
        } else {
            start = nowNanos;
            remainder = 0;
        }
        long numerator = bytes * BITS_NANOS_PER_BYTE + remainder;
        busyUntilNanos = start + numerator / rateBitsPerSecond;
        remainder = numerator % rateBitsPerSecond;
        busy = true;
        return busyUntilNanos;
    }

    /** Bytes accepted but not yet fully serialized at {@code nowNanos}. */
    long backlogBytes(long nowNanos) {
        if (!busy || busyUntilNanos - nowNanos <= 0) {
            return 0;
        }
        return (long) Math.ceil((busyUntilNanos - nowNanos) * (double) rateBitsPerSecond / BITS_NANOS_PER_BYTE);
    }
}
