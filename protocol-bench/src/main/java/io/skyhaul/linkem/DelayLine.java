package io.skyhaul.linkem;

import java.util.ArrayDeque;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Propagation delay, jitter and reordering: gives each packet leaving the bottleneck a delivery
 * time and hands packets back in delivery-time order.
 *
 * <p>Jitter never reorders: a packet's delivery time is raised to that of the packet before it
 * when the random jitter would let it overtake, as packets on one wire cannot pass each other.
 * Only packets picked for reordering get an extra {@code reorderDelayNanos} and may be
 * overtaken. Because the extra delay is constant, both the in-order packets and the reordered
 * ones form time-ordered FIFOs, and the line is two queues merged at the head: O(1) per packet.
 *
 * <p>Not thread-safe: the owning direction uses it under its lock.
 */
final class DelayLine {

    private final long delayNanos;
    private final long jitterNanos;
    private final double reorderProbability;
    private final long reorderDelayNanos;
    private final ArrayDeque<Packet> inOrder = new ArrayDeque<>();
    private final ArrayDeque<Packet> reordered = new ArrayDeque<>();
    private long lastInOrderNanos;
    private boolean anyScheduled;

    DelayLine(long delayNanos, long jitterNanos, double reorderProbability, long reorderDelayNanos) {
        this.delayNanos = delayNanos;
        this.jitterNanos = jitterNanos;
        this.reorderProbability = reorderProbability;
        this.reorderDelayNanos = reorderDelayNanos;
    }

    DelayLine(LinkProfile profile) {
        this(profile.delayNanos(), profile.jitterNanos(), profile.reorderProbability(), profile.reorderDelayNanos());
    }

    /**
     * Schedules a packet that left the bottleneck at {@code departureNanos}.
     *
     * @return true if the packet was picked for reordering
     */
    boolean add(Packet packet, long departureNanos, SplittableRandom random) {
        long deliverAt = departureNanos + delayNanos;
        if (jitterNanos > 0) {
            deliverAt += (long) ((random.nextDouble() * 2 - 1) * jitterNanos);
            if (deliverAt - departureNanos < 0) {
                deliverAt = departureNanos;
            }
        }
        if (anyScheduled && deliverAt - lastInOrderNanos < 0) {
            deliverAt = lastInOrderNanos;
        }
        lastInOrderNanos = deliverAt;
        anyScheduled = true;
        if (reorderProbability > 0 && random.nextDouble() < reorderProbability) {
            packet.deliverAtNanos = deliverAt + reorderDelayNanos;
            reordered.addLast(packet);
            return true;
        }
        packet.deliverAtNanos = deliverAt;
        inOrder.addLast(packet);
        return false;
    }

    /** The packet to deliver next, or null when empty. */
    Packet peek() {
        Packet a = inOrder.peekFirst();
        Packet b = reordered.peekFirst();
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return b.deliverAtNanos - a.deliverAtNanos < 0 ? b : a;
    }

    /** Removes and returns the next packet if it is due at {@code nowNanos}, else null. */
    Packet pollDue(long nowNanos) {
        Packet next = peek();
        if (next == null || next.deliverAtNanos - nowNanos > 0) {
            return null;
        }
        return next == inOrder.peekFirst() ? inOrder.pollFirst() : reordered.pollFirst();
    }

    boolean isEmpty() {
        return inOrder.isEmpty() && reordered.isEmpty();
    }

    int size() {
        return inOrder.size() + reordered.size();
    }

    /** Empties the line, handing every packet to {@code release}. */
    void clear(Consumer<Packet> release) {
        inOrder.forEach(release);
        reordered.forEach(release);
        inOrder.clear();
        reordered.clear();
    }
}
