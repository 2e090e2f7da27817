package io.skyhaul.gateway.hotfolder;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Rule: "a file is sent once it is complete, and each version of it once". Complete means either
 * <ul>
 *   <li>settle mode: seen unchanged (size, mtime, file key) by at least two snapshots spanning at
 *       least the settle time. Only our own sightings count, not the file's mtime, since copy
 *       tools (cp -p, rsync -t, Finder) give a file being written its source's old mtime; so after
 *       a restart every file waits one settle time again. A zero-byte file is legitimate once
 *       settled; or</li>
 *   <li>marker mode: its marker ({@code NAME}+suffix) is in the snapshot, whatever the file is
 *       doing. A marker is never a payload, and a marker without its file is ignored. A file that
 *       changes after being reported waits for a new marker: one it saw disappear and come back,
 *       or a different sighting of it, so that a stale marker never vouches for a rewrite.</li>
 * </ul>
 * A file that changes after being reported ready is reported again, as a new version. Files
 * absent from a snapshot are reported disappeared and forgotten, except from a truncated snapshot,
 * which proves nothing about absent files. Not thread-safe: feed it from the scan thread.
 */
public final class SettleTracker {
    private final Clock clock;
    private final Duration settleTime;
    private final Optional<ReadyMarker> marker;
    private final Map<String, Tracked> tracked = new HashMap<>();

    private static final class Tracked {
        ScannedFile current;
        Instant since;
        int sightings;
        ScannedFile reported;
        ScannedFile consumedMarker;
        boolean markerAbsentSinceReport;

        Tracked(ScannedFile current, Instant since) {
            this.current = current;
            this.since = since;
        }
    }

    private SettleTracker(Clock clock, Duration settleTime, Optional<ReadyMarker> marker) {
        this.clock = Objects.requireNonNull(clock, "clock");
        HotFolderLimits.requireNonNegative("settleTime", settleTime);
        this.settleTime = settleTime;
        this.marker = marker;
    }

    /** Settle mode, with the configured settle time ({@code HotFolderLimits.DEFAULTS.settleTime()} unless set). */
    public static SettleTracker bySettleTime(Clock clock, Duration settleTime) {
        return new SettleTracker(clock, settleTime, Optional.empty());
    }

    /** Marker mode; the clock only dates the "settling since" of files waiting for their marker. */
    public static SettleTracker byMarker(Clock clock, ReadyMarker marker) {
        return new SettleTracker(clock, Duration.ZERO, Optional.of(marker));
    }

    /** Takes the next snapshot of the folder (from the same root as the previous ones). */
    public SettleReport observe(FolderSnapshot snapshot) {
        Instant now = clock.instant();
        List<ReadyFile> ready = new ArrayList<>();
        List<SettlingFile> settling = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ScannedFile file : snapshot.files().values()) {
            String path = file.relativePath();
            if (marker.isPresent() && marker.get().isMarker(path)) {
                continue;
            }
            seen.add(path);
            Tracked t = track(file, now);
            if (t.reported != null && t.reported.sameVersionAs(file)) {
                continue;
            }
            Optional<ScannedFile> markerFile = marker.flatMap(m -> snapshot.file(m.markerFor(path)));
            if (isComplete(t, now, markerFile)) {
                ready.add(new ReadyFile(file, markerFile.map(ScannedFile::relativePath), t.reported != null));
                t.reported = file;
                t.consumedMarker = markerFile.orElse(null);
                t.markerAbsentSinceReport = false;
            } else {
                settling.add(new SettlingFile(file, t.since));
            }
        }
        noteAbsentMarkers(snapshot);
        return new SettleReport(ready, settling, snapshot.truncated() ? List.of() : forgetAbsent(seen));
    }

    /** Forgets a path, so that its next sighting starts over as a new file (to retry a failed send, say). */
    public void forget(String relativePath) {
        tracked.remove(relativePath);
    }

    private Tracked track(ScannedFile file, Instant now) {
        Tracked t = tracked.computeIfAbsent(file.relativePath(), path -> new Tracked(file, now));
        if (!t.current.sameVersionAs(file)) {
            t.current = file;
            t.since = now;
            t.sightings = 0;
        }
        t.sightings++;
        return t;
    }

    private boolean isComplete(Tracked t, Instant now, Optional<ScannedFile> markerFile) {
        if (marker.isEmpty()) {
            return t.sightings >= 2 && Duration.between(t.since, now).compareTo(settleTime) >= 0;
        }
        if (markerFile.isEmpty()) {
            return false;
        }
        return t.reported == null || t.markerAbsentSinceReport || !markerFile.get().sameVersionAs(t.consumedMarker);
    }

    private void noteAbsentMarkers(FolderSnapshot snapshot) {
        if (marker.isEmpty() || snapshot.truncated()) {
            return;
        }
        for (Map.Entry<String, Tracked> entry : tracked.entrySet()) {
            if (entry.getValue().reported != null && snapshot.file(marker.get().markerFor(entry.getKey())).isEmpty()) {
                entry.getValue().markerAbsentSinceReport = true;
            }
        }
    }

    private List<String> forgetAbsent(Set<String> seen) {
        List<String> gone = new ArrayList<>();
        tracked.keySet().removeIf(path -> {
            boolean absent = !seen.contains(path);
            if (absent) {
                gone.add(path);
            }
            return absent;
        });
        gone.sort(null);
        return gone;
    }
}
