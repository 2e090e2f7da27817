package io.skyhaul.bench;

/**
 * One TCP copy through the emulated link.
 *
 * @param congestionControl the namespace's setting, {@code bbr} or {@code cubic}
 * @param failure           null unless the copy could not run or delivered wrong bytes (a time-bounded copy is not a failure)
 * @param bytes             bytes the server received
 * @param seconds           from the accepted connection to the last byte, or to the time bound
 * @param complete          the whole file arrived within the bound
 * @param observed          the congestion control {@code ss -ti} reported for the connection, or null if not seen
 */
record TcpResult(String congestionControl, String failure, long bytes, double seconds, boolean complete, String observed) {

    static TcpResult failed(String cc, String why) {
        return new TcpResult(cc, why, 0, 0, false, null);
    }

    boolean ok() {
        return failure == null;
    }

    double mbps() {
        return !ok() || seconds <= 0 ? Double.NaN : bytes * 8 / seconds / 1e6;
    }
}
