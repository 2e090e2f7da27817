package io.skyhaul.transport.session;

import java.util.concurrent.atomic.LongAdder;

/**
 * Datagrams an endpoint dropped, by reason. A dropped datagram never disturbs a session; these
 * counters are how an operator (and a test) sees that it happened.
 */
public final class TransportCounters {
    /** Failed AEAD verification: forged, corrupted, or sealed under another key. */
    public final LongAdder forged = new LongAdder();
    /** A packet number seen before or too old for the replay window. */
    public final LongAdder replayed = new LongAdder();
    /** Too short, wrong version, unknown type, or a body that does not parse. */
    public final LongAdder malformed = new LongAdder();
    /** Larger than the largest datagram we accept. */
    public final LongAdder oversized = new LongAdder();
    /** For no session we know, and not a valid HELLO. */
    public final LongAdder unknownSession = new LongAdder();
    /** A HELLO with a ticket we cannot open (wrong key, expired, garbage) or already used. */
    public final LongAdder badTicket = new LongAdder();
    /** From an address other than the session's peer. */
    public final LongAdder wrongAddress = new LongAdder();

    public long totalDropped() {
        return forged.sum() + replayed.sum() + malformed.sum() + oversized.sum() + unknownSession.sum() + badTicket.sum() + wrongAddress.sum();
    }

    @Override
    public String toString() {
        return "dropped{forged=" + forged.sum() + ", replayed=" + replayed.sum() + ", malformed=" + malformed.sum() + ", oversized="
                + oversized.sum() + ", unknownSession=" + unknownSession.sum() + ", badTicket=" + badTicket.sum() + ", wrongAddress="
                + wrongAddress.sum() + "}";
    }
}
