package io.skyhaul.gateway.spool;

/**
 * Back-pressure: the bytes, files and writers the spool has promised besides its acknowledged
 * entries. A body reserves its announced size before its first byte is read, so concurrent
 * clients can never together overfill the spool; uploaded bodies stay counted until their file
 * is really deleted. Not thread-safe: the spool's lock guards it.
 */
final class SpoolCapacity {
    private final SpoolLimits limits;
    private long reservedBytes;
    private int writers;
    private long releasingBytes;
    private int releasingFiles;

    SpoolCapacity(SpoolLimits limits) {
        this.limits = limits;
    }

    /** Why a body of {@code size} cannot be taken now, given the entries' {@code bytes} and {@code files}; null when it can. */
    String refusal(long size, long bytes, int files) {
        String retry = "; retry in " + Figures.duration(limits.retryAfter());
        if (writers >= limits.maxConcurrentWriters()) {
            return "spool busy: " + writers + " of " + limits.maxConcurrentWriters() + " bodies already being received" + retry;
        }
        int filesNow = files + writers + releasingFiles;
        if (filesNow + 1 > limits.maxFiles()) {
            return "spool full: " + filesNow + " of " + limits.maxFiles() + " files" + retry;
        }
        long usedNow = bytes + releasingBytes + reservedBytes;
        if (size > limits.maxBytes() - usedNow) {
            return "spool full: " + Figures.bytes(usedNow) + " of " + Figures.bytes(limits.maxBytes()) + " used, "
                    + Figures.bytes(size) + " more asked" + retry;
        }
        return null;
    }

    void reserve(long size) {
        reservedBytes += size;
        writers++;
    }

    void unreserve(long size) {
        reservedBytes -= size;
        writers--;
    }

    /** An entry left the index; its file is still on disk until {@link #released}. */
    void releasing(long size) {
        releasingBytes += size;
        releasingFiles++;
    }

    void released(long size) {
        releasingBytes -= size;
        releasingFiles--;
    }

    SpoolUsage usage(long bytes, int files) {
        return new SpoolUsage(bytes + releasingBytes, reservedBytes, limits.maxBytes(), files + writers + releasingFiles, limits.maxFiles());
    }
}
