package io.skyhaul.bench.jmh;

import io.skyhaul.transport.session.TransferReport;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What JMH reports beside the time of each transfer: goodput as the transport measured it (file
 * bytes over the session's wall time, from the first packet to the receiver's result), CPU per
 * GiB moved, and the share of bytes retransmitted. One transfer per iteration (SingleShotTime), so
 * each iteration's value is that transfer's.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class TransferMetrics {
    private static final double GIB = 1L << 30;

    /** File bytes × 8 / session seconds / 10⁶. */
    public double goodputMbps;
    /** Process CPU seconds (the emulator's threads excluded) per GiB of file bytes. */
    public double cpuSecondsPerGiB;
    /** Retransmitted DATA bytes as a percentage of the file bytes. */
    public double retransmittedPercent;

    @Setup(Level.Iteration)
    public void clear() {
        goodputMbps = 0;
        cpuSecondsPerGiB = 0;
        retransmittedPercent = 0;
    }

    void record(TransferReport report, long cpuNanos) {
        goodputMbps = report.goodputMbps();
        cpuSecondsPerGiB = cpuNanos / 1e9 / (report.bytes() / GIB);
        retransmittedPercent = report.bytes() == 0 ? 0 : 100.0 * report.retransmittedBytes() / report.bytes();
    }
}
