package io.skyhaul.gateway.hotfolder;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits of a hot folder, with their defaults in one place ({@link #DEFAULTS}). Each class
 * takes the values it needs as constructor parameters; the service reads them from its
 * configuration and falls back to these.
 *
 * @param settleTime how long a file must keep the same size and mtime before it counts as
 *     complete ({@link SettleTracker}); zero means "ready at the second sighting unchanged"
 * @param maxEntriesPerScan directory entries (files, directories, links, failures) one scan
 *     visits before it stops and marks its snapshot truncated ({@link FolderScanner})
 * @param watchCoalesce how long the watcher gathers events after the first one before it
 *     signals, so that a copy in progress wakes the service at most once per window
 *     ({@link FolderWatcher})
 * @param maxPathsPerSignal changed paths one watcher signal lists; beyond that it says
 *     "rescan everything" instead ({@link FolderWatcher})
 * @param maxNameCollisions how far " (2)", " (3)"... go before a move gives up
 *     ({@link FileDisposal})
 */
public record HotFolderLimits(Duration settleTime, int maxEntriesPerScan, Duration watchCoalesce, int maxPathsPerSignal,
        int maxNameCollisions) {

    /**
     * 30 s of settling covers SMB/NFS clients that flush and update mtime late; 100 000 entries is a
     * large editing tree scanned in well under a second on local disk.
     */
    public static final HotFolderLimits DEFAULTS = new HotFolderLimits(Duration.ofSeconds(30), 100_000, Duration.ofMillis(500), 1_000,
            10_000);

    public HotFolderLimits {
        requireNonNegative("settleTime", settleTime);
        requireNonNegative("watchCoalesce", watchCoalesce);
        requirePositive("maxEntriesPerScan", maxEntriesPerScan);
        requirePositive("maxPathsPerSignal", maxPathsPerSignal);
        requirePositive("maxNameCollisions", maxNameCollisions);
    }

    static void requireNonNegative(String field, Duration value) {
        Objects.requireNonNull(value, field);
        if (value.isNegative()) {
            throw new IllegalArgumentException(field + " must not be negative, got " + value);
        }
    }

    static void requirePositive(String field, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(field + " must be at least 1, got " + value);
        }
    }
}
