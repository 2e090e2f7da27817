package io.skyhaul.gateway.spool;

import java.time.Duration;
import java.util.Objects;

/**
 * How much the spool holds and how it behaves when full or when an upload is given up; the
 * defaults are written here and nowhere else.
 *
 * @param maxBytes                 bytes of acknowledged and incoming bodies together
 * @param maxFiles                 acknowledged entries plus bodies being written
 * @param maxConcurrentWriters     bodies being received at once (each holds a thread and a file)
 * @param retryAfter               what a refused client is told to wait before it tries again
 * @param maxRecentFailures        given-up entries remembered (with their bodies when kept)
 * @param keepFailedBodies         move a given-up body to {@code failed/} for inspection instead of deleting it;
 *                                 such bodies are outside {@code maxBytes}, at most {@code maxRecentFailures} of them
 * @param compactionMinDeadRecords dead log records tolerated before the log is rewritten (it is rewritten
 *                                 only once dead records also outnumber live ones)
 */
public record SpoolLimits(long maxBytes, int maxFiles, int maxConcurrentWriters, Duration retryAfter,
        int maxRecentFailures, boolean keepFailedBodies, int compactionMinDeadRecords) {

    public static final long DEFAULT_MAX_BYTES = 10_000_000_000L;
    public static final int DEFAULT_MAX_FILES = 10_000;
    public static final int DEFAULT_MAX_CONCURRENT_WRITERS = 16;
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);
    public static final int DEFAULT_MAX_RECENT_FAILURES = 100;
    public static final boolean DEFAULT_KEEP_FAILED_BODIES = false;
    public static final int DEFAULT_COMPACTION_MIN_DEAD_RECORDS = 1_000;

    public SpoolLimits {
        Objects.requireNonNull(retryAfter, "retryAfter");
        positive("maxBytes", maxBytes);
        positive("maxFiles", maxFiles);
        positive("maxConcurrentWriters", maxConcurrentWriters);
        positive("maxRecentFailures", maxRecentFailures);
        positive("compactionMinDeadRecords", compactionMinDeadRecords);
        if (retryAfter.isNegative() || retryAfter.isZero()) {
            throw new IllegalArgumentException("spool retryAfter must be positive, was " + retryAfter);
        }
    }

    public static SpoolLimits defaults() {
        return new SpoolLimits(DEFAULT_MAX_BYTES, DEFAULT_MAX_FILES, DEFAULT_MAX_CONCURRENT_WRITERS, DEFAULT_RETRY_AFTER,
                DEFAULT_MAX_RECENT_FAILURES, DEFAULT_KEEP_FAILED_BODIES, DEFAULT_COMPACTION_MIN_DEAD_RECORDS);
    }

    public SpoolLimits withMaxBytes(long value) {
        return new SpoolLimits(value, maxFiles, maxConcurrentWriters, retryAfter, maxRecentFailures, keepFailedBodies, compactionMinDeadRecords);
    }

    public SpoolLimits withMaxFiles(int value) {
        return new SpoolLimits(maxBytes, value, maxConcurrentWriters, retryAfter, maxRecentFailures, keepFailedBodies, compactionMinDeadRecords);
    }

    public SpoolLimits withMaxConcurrentWriters(int value) {
        return new SpoolLimits(maxBytes, maxFiles, value, retryAfter, maxRecentFailures, keepFailedBodies, compactionMinDeadRecords);
    }

    public SpoolLimits withRetryAfter(Duration value) {
        return new SpoolLimits(maxBytes, maxFiles, maxConcurrentWriters, value, maxRecentFailures, keepFailedBodies, compactionMinDeadRecords);
    }

    public SpoolLimits withMaxRecentFailures(int value) {
        return new SpoolLimits(maxBytes, maxFiles, maxConcurrentWriters, retryAfter, value, keepFailedBodies, compactionMinDeadRecords);
    }

    public SpoolLimits withKeepFailedBodies(boolean value) {
        return new SpoolLimits(maxBytes, maxFiles, maxConcurrentWriters, retryAfter, maxRecentFailures, value, compactionMinDeadRecords);
    }

    public SpoolLimits withCompactionMinDeadRecords(int value) {
        return new SpoolLimits(maxBytes, maxFiles, maxConcurrentWriters, retryAfter, maxRecentFailures, keepFailedBodies, value);
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException("spool " + name + " must be positive, was " + value);
        }
    }
}
