package io.skyhaul.bench.jmh;

import io.skyhaul.transport.session.TransferReport;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What JMH reports beside the time of each transfer. JMH sums these counters over the iterations
 * in its summary, so each is an additive quantity — file MiB, session seconds, CPU seconds,
 * retransmitted MiB — whose totals stay true; {@link JmhResultsPrinter} turns them into goodput
 * (file bits over the session's wall time, from the first packet to the receiver's result), CPU
 * seconds per GiB and the retransmitted share, per iteration and overall.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class TransferMetrics {
    private static final double MIB = 1 << 20;

    /** File bytes moved, in MiB. */
    public double fileMiB;
    /** The transfer's own wall time: first packet to the receiver's result. */
    public double sessionSeconds;
    /** Process CPU seconds spent meanwhile (the emulator's threads excluded). */
    public double cpuSeconds;
    /** DATA bytes sent again after a loss, in MiB. */
    public double retransmittedMiB;

    @Setup(Level.Iteration)
    public void clear() {
        fileMiB = 0;
        sessionSeconds = 0;
        cpuSeconds = 0;
        retransmittedMiB = 0;
    }

    void record(TransferReport report, long cpuNanos) {
        fileMiB = (report.bytes() - report.resumedBytes()) / MIB;
        sessionSeconds = report.seconds();
        cpuSeconds = cpuNanos / 1e9;
        retransmittedMiB = report.retransmittedBytes() / MIB;
    }
}
