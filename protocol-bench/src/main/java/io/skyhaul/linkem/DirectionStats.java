package io.skyhaul.linkem;

import java.util.Locale;

/**
 * What one direction of the emulated link did, counted since it started.
 *
 * <p>Every received packet is either dropped (loss, queue, overrun) or forwarded, so once the
 * link is idle {@code received + duplicated == forwarded + dropped() + sendErrors} (packets
 * still in flight account for any difference while traffic flows).
 *
 * @param name           "client->target", "target->client", "a->b" or "b->a"
 * @param received       packets that entered the direction
 * @param receivedBytes  their bytes
 * @param forwarded      packets delivered (duplicates included)
 * @param forwardedBytes their bytes
 * @param droppedLoss    packets lost by the random loss model
 * @param droppedQueue   packets that found the bottleneck queue full (drop-tail)
 * @param droppedOverrun packets dropped because the emulator's own memory budget was exhausted
 * @param duplicated     extra copies created by {@code --duplicate}
 * @param reordered      packets given the extra reorder delay
 * @param sendErrors     deliveries the OS refused (e.g. ICMP port unreachable, closed socket)
 */
public record DirectionStats(String name, long received, long receivedBytes, long forwarded, long forwardedBytes,
                             long droppedLoss, long droppedQueue, long droppedOverrun, long duplicated,
                             long reordered, long sendErrors) {

    public long dropped() {
        return droppedLoss + droppedQueue + droppedOverrun;
    }

    /** Counts accumulated since {@code earlier}, for per-interval reports. */
    public DirectionStats minus(DirectionStats earlier) {
        return new DirectionStats(name, received - earlier.received, receivedBytes - earlier.receivedBytes,
                forwarded - earlier.forwarded, forwardedBytes - earlier.forwardedBytes,
                droppedLoss - earlier.droppedLoss, droppedQueue - earlier.droppedQueue,
                droppedOverrun - earlier.droppedOverrun, duplicated - earlier.duplicated,
                reordered - earlier.reordered, sendErrors - earlier.sendErrors);
    }

    /** One line for logs: {@code a->b fwd=100 (140000 B) lost=1 qdrop=0 ...}. */
    public String summary() {
        return String.format(Locale.ROOT, "%s rx=%d fwd=%d (%d B) lost=%d qdrop=%d overrun=%d dup=%d reord=%d senderr=%d",
                name, received, forwarded, forwardedBytes, droppedLoss, droppedQueue, droppedOverrun, duplicated,
                reordered, sendErrors);
    }
}
