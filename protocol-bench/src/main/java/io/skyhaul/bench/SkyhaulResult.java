package io.skyhaul.bench;

/**
 * One Skyhaul transfer as the bench saw it.
 *
 * @param label      what ran, e.g. {@code grid 200ms/5%}
 * @param failure    null when the transfer succeeded and the received file's SHA-256 matched; otherwise why not
 * @param summary    the sender's JSON summary (null when there is none)
 * @param cpuSeconds CPU of the sender process (all of it) plus the receiver process during the transfer; -1 if unknown
 * @param logDir     the processes' logs (the sender's debug log among them)
 * @param probeTimeouts the sender's probe timeouts (its debug log's "probe timeout" lines); -1 if unknown
 */
record SkyhaulResult(String label, String failure, SendSummary summary, double cpuSeconds, java.nio.file.Path logDir, long probeTimeouts) {
    private static final double GIB = 1L << 30;

    boolean ok() {
        return failure == null;
    }

    /** File bytes per second of the transfer, in Mbit/s (more digits than the summary's rounded figure). */
    double mbps() {
        return summary == null || summary.seconds() <= 0 ? Double.NaN : summary.bytes() * 8 / summary.seconds() / 1e6;
    }

    double cpuSecondsPerGiB() {
        return summary == null || cpuSeconds < 0 || summary.bytes() == 0 ? Double.NaN : cpuSeconds / (summary.bytes() / GIB);
    }

    double retransmittedPercent() {
        return summary == null ? Double.NaN : summary.retransmittedPercent();
    }
}
