package io.skyhaul.gateway.spool;

import java.util.List;

/**
 * What opening the spool found and repaired.
 *
 * @param recovered       acknowledged entries found intact (QUEUED and UPLOADING)
 * @param lost            acknowledged entries whose data file was missing or of the wrong size: they are
 *                        recorded as failures (see {@link Spool#recentFailures()}), never dropped silently
 * @param tornTailBytes   bytes of an incomplete last log record that were cut off (0 when the log was whole)
 * @param partialsDeleted unacknowledged bodies (incoming/*.part) deleted
 * @param orphansDeleted  data files no live entry refers to (uploaded, or never acknowledged) deleted
 */
public record RecoveryReport(int recovered, List<Lost> lost, long tornTailBytes, int partialsDeleted, int orphansDeleted) {

    public RecoveryReport {
        lost = List.copyOf(lost);
    }

    /** An acknowledged entry whose body is gone, and what was found instead. */
    public record Lost(SpoolEntry entry, String problem) {
    }

    public boolean clean() {
        return lost.isEmpty() && tornTailBytes == 0;
    }
}
