package io.skyhaul.gateway.hotfolder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.TreeMap;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rule: a file is sent once it is complete, and each version of it once. */
class SettleTrackerTest {
    private static final Duration SETTLE = Duration.ofSeconds(30);
    private static final Instant T0 = Instant.parse("2025-03-01T09:00:00Z");

    @TempDir
    Path root;
    private final ControllableClock clock = new ControllableClock(T0);
    private FolderScanner scanner;

    @BeforeEach
    void scanner() {
        scanner = new FolderScanner(FilePatterns.everything(Set.of()), 1000, new ReadyMarker(".ready"));
    }

    @Test
    void aFileWrittenSlowlyStaysSettlingUntilItStopsChangingForTheSettleTime() throws IOException {
        SettleTracker tracker = SettleTracker.bySettleTime(clock, SETTLE);
        Path file = root.resolve("reel-01.mov");
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int chunk = 0; chunk < 6; chunk++) {
                out.write(new byte[4096]);
                out.flush();
                SettleReport report = observe(tracker);
                assertEquals(List.of(), report.ready(), "chunk " + chunk);
                assertEquals(List.of(new SettlingFile(snapshotOf(file), clock.instant())), report.settling(),
                        "each chunk restarts the settle time, chunk " + chunk);
                clock.advance(Duration.ofSeconds(20));
            }
        }
        Instant lastChange = clock.instant().minus(Duration.ofSeconds(20));
        clock.advance(Duration.ofSeconds(9));
        SettleReport almost = observe(tracker);
        assertEquals(List.of(), almost.ready(), "29 s unchanged is not 30");
        assertEquals(lastChange, almost.settling().get(0).since());

        clock.advance(Duration.ofSeconds(1));
        SettleReport done = observe(tracker);
        assertEquals(List.of(new ReadyFile(snapshotOf(file), Optional.empty(), false)), done.ready());
        assertEquals(6 * 4096, done.ready().get(0).file().size());
        assertEquals(List.of(), done.settling());

        clock.advance(Duration.ofMinutes(5));
        SettleReport later = observe(tracker);
        assertEquals(new SettleReport(List.of(), List.of(), List.of()), later, "a file is reported ready once per version");
    }

    @Test
    void itTakesTwoSightingsEvenWithNoSettleTimeOrAnOldMtime() throws IOException {
        SettleTracker tracker = SettleTracker.bySettleTime(clock, Duration.ZERO);
        Path file = Files.write(root.resolve("old.wav"), new byte[10]);
        Files.setLastModifiedTime(file, FileTime.from(T0.minus(Duration.ofDays(365))));

        assertEquals(List.of(), observe(tracker).ready(), "one sighting proves nothing, whatever the mtime says");
        assertEquals(List.of("old.wav"), observe(tracker).ready().stream().map(ReadyFile::relativePath).toList());
    }

    @Test
    void aZeroByteFileIsLegitimateOnceSettled() throws IOException {
        SettleTracker tracker = SettleTracker.bySettleTime(clock, SETTLE);
        Files.createFile(root.resolve("empty.txt"));
        assertEquals(1, observe(tracker).settling().size());
        clock.advance(SETTLE);
        List<ReadyFile> ready = observe(tracker).ready();
        assertEquals(1, ready.size());
        assertEquals(0, ready.get(0).file().size());
    }

    @Test
    void aFileChangedAfterBeingReadyIsReportedAgainAsANewVersion() throws IOException {
        SettleTracker tracker = SettleTracker.bySettleTime(clock, SETTLE);
        Path file = Files.write(root.resolve("cut.mov"), new byte[100]);
        settle(tracker);

        // Rewritten in place, same size, new mtime.
        Files.write(file, new byte[100]);
        Files.setLastModifiedTime(file, FileTime.from(T0.plus(Duration.ofHours(1))));
        assertEquals(1, observe(tracker).settling().size());
        clock.advance(SETTLE);
        List<ReadyFile> second = observe(tracker).ready();
        assertEquals(1, second.size());
        assertTrue(second.get(0).newVersion());

        // Replaced by a rename, same size and mtime: the file key tells.
        Path replacement = Files.write(root.resolve(".cut.mov.tmp"), new byte[100]);
        Files.setLastModifiedTime(replacement, Files.getLastModifiedTime(file));
        Files.move(replacement, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertEquals(1, observe(tracker).settling().size());
        clock.advance(SETTLE);
        List<ReadyFile> third = observe(tracker).ready();
        assertEquals(1, third.size());
        assertTrue(third.get(0).newVersion());
    }

    @Test
    void inMarkerModeAFileIsReadyOnlyOnceItsMarkerExists() throws IOException {
        SettleTracker tracker = SettleTracker.byMarker(clock, new ReadyMarker(".ready"));
        Files.write(root.resolve("a.mov"), new byte[10]);
        SettleReport waiting = observe(tracker);
        clock.advance(Duration.ofHours(6));
        SettleReport stillWaiting = observe(tracker);
        assertEquals(List.of(), stillWaiting.ready(), "no marker, no send, however long the file sits");
        assertEquals(T0, stillWaiting.settling().get(0).since());
        assertEquals(waiting.settling(), stillWaiting.settling());

        Files.createFile(root.resolve("a.mov.ready"));
        Files.createFile(root.resolve("orphan.mov.ready"));
        SettleReport report = observe(tracker);
        assertEquals(List.of(new ReadyFile(snapshotOf(root.resolve("a.mov")), Optional.of("a.mov.ready"), false)), report.ready());
        assertEquals(List.of(), report.settling(), "a marker is never a payload, and an orphan marker is ignored");
    }

    @Test
    void inMarkerModeARewriteWaitsForAFreshMarker() throws IOException {
        SettleTracker tracker = SettleTracker.byMarker(clock, new ReadyMarker(".ready"));
        Path file = Files.write(root.resolve("a.mov"), new byte[10]);
        Path marker = Files.createFile(root.resolve("a.mov.ready"));
        assertEquals(1, observe(tracker).ready().size());

        Files.write(file, new byte[20]);
        assertEquals(List.of(), observe(tracker).ready(), "the old marker does not vouch for the rewrite");

        Files.delete(marker);
        assertEquals(List.of(), observe(tracker).ready());
        Files.createFile(marker);
        List<ReadyFile> again = observe(tracker).ready();
        assertEquals(1, again.size());
        assertTrue(again.get(0).newVersion());
        assertEquals(20, again.get(0).file().size());

        Files.write(file, new byte[30]);
        assertEquals(List.of(), observe(tracker).ready());
        Files.setLastModifiedTime(marker, FileTime.from(T0.plus(Duration.ofMinutes(1))));
        assertEquals(List.of(30L), observe(tracker).ready().stream().map(r -> r.file().size()).toList(), "a touched marker is a new marker");
    }

    @Test
    void filesThatDisappearAreReportedOnceButNotFromATruncatedSnapshot() throws IOException {
        SettleTracker tracker = SettleTracker.bySettleTime(clock, SETTLE);
        Path kept = Files.write(root.resolve("kept.mov"), new byte[1]);
        Path gone = Files.write(root.resolve("gone.mov"), new byte[1]);
        observe(tracker);
        Files.delete(gone);

        FolderSnapshot full = scanner.scan(root);
        FolderSnapshot truncated = new FolderSnapshot(root, new TreeMap<>(), List.of(), true);
        assertEquals(List.of(), tracker.observe(truncated).disappeared(), "a truncated snapshot proves nothing");
        assertEquals(List.of("gone.mov"), tracker.observe(full).disappeared());
        assertEquals(List.of(), tracker.observe(full).disappeared());

        Files.delete(kept);
        assertEquals(List.of("kept.mov"), observe(tracker).disappeared());
    }

    @Test
    void aForgottenFileSettlesAgainAsNew() throws IOException {
        SettleTracker tracker = SettleTracker.bySettleTime(clock, SETTLE);
        Files.write(root.resolve("retry.mov"), new byte[1]);
        settle(tracker);
        tracker.forget("retry.mov");
        assertEquals(1, observe(tracker).settling().size());
        clock.advance(SETTLE);
        List<ReadyFile> ready = observe(tracker).ready();
        assertEquals(1, ready.size());
        assertFalse(ready.get(0).newVersion());
    }

    private void settle(SettleTracker tracker) throws IOException {
        observe(tracker);
        clock.advance(SETTLE);
        assertEquals(1, observe(tracker).ready().size());
    }

    private SettleReport observe(SettleTracker tracker) throws IOException {
        return tracker.observe(scanner.scan(root));
    }

    private ScannedFile snapshotOf(Path file) throws IOException {
        return scanner.scan(root).file(root.relativize(file).toString()).orElseThrow();
    }
}
