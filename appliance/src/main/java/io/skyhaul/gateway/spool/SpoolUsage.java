package io.skyhaul.gateway.spool;

/**
 * The spool's occupation at one moment.
 *
 * @param usedBytes     acknowledged bodies, plus uploaded ones whose file is still being deleted
 * @param reservedBytes announced sizes of the bodies being received
 * @param files         acknowledged entries plus bodies being received
 */
public record SpoolUsage(long usedBytes, long reservedBytes, long maxBytes, int files, int maxFiles) {
    public long freeBytes() {
        return Math.max(0, maxBytes - usedBytes - reservedBytes);
    }
}
