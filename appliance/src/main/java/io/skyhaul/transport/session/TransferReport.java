package io.skyhaul.transport.session;

import java.util.Map;

/**
 * What a finished transfer did, as both ends saw it from this side.
 *
 * @param files files transferred (directories not counted)
 * @param bytes bytes of file content in the transfer
 * @param resumedBytes bytes the receiver already held from an interrupted session
 * @param sentBytes DATA payload bytes this side sent (0 on the receiving side)
 * @param retransmittedBytes DATA payload bytes sent again after a loss
 * @param seconds wall time from the first packet to the result
 * @param digests SHA-256 (hex) of every file, by path
 * @param probeTimeouts times the data sender heard no acknowledgement for a whole probe timeout and
 *     sent its oldest packet again to restart loss recovery (0 on the receiving side); losses
 *     that later packets reveal never need one
 */
public record TransferReport(long files, long bytes, long resumedBytes, long sentBytes, long retransmittedBytes, double seconds,
        Map<String, String> digests, long probeTimeouts) {

    /** A report without probe timeouts (the receiving side, or a sender that never needed one). */
    public TransferReport(long files, long bytes, long resumedBytes, long sentBytes, long retransmittedBytes, double seconds,
            Map<String, String> digests) {
        this(files, bytes, resumedBytes, sentBytes, retransmittedBytes, seconds, digests, 0);
    }

    /** File bytes moved in this session, per second, in Mbit/s. */
    public double goodputMbps() {
        return seconds <= 0 ? 0 : (bytes - resumedBytes) * 8 / seconds / 1e6;
    }
}
