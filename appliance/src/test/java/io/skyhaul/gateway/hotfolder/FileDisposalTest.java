package io.skyhaul.gateway.hotfolder;

import static io.skyhaul.gateway.hotfolder.FileDisposal.AfterSuccess.DELETE;
import static io.skyhaul.gateway.hotfolder.FileDisposal.AfterSuccess.KEEP;
import static io.skyhaul.gateway.hotfolder.FileDisposal.AfterSuccess.MOVE_TO_DONE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.skyhaul.gateway.hotfolder.FileDisposal.Outcome;
import io.skyhaul.gateway.hotfolder.FileDisposal.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Rule: keep, move to done or delete after a send; to the error folder with a reason after a failure; never overwrite. */
class FileDisposalTest {
    private static final Instant NOW = Instant.parse("2025-03-01T09:30:00Z");
    private static final FailureReason REFUSED = new FailureReason("content-matches-extension",
            "reel-01.mov: the bytes are not a QuickTime/MP4 file (starts with 25 50 44 46, a PDF)",
            "Export the clip again as QuickTime — « pas un PDF » — and copy it into the hot folder.");

    @TempDir
    Path tmp;
    private Path hot;
    private Path done;
    private Path error;
    private final ControllableClock clock = new ControllableClock(NOW);

    @BeforeEach
    void folders() throws IOException {
        hot = Files.createDirectory(tmp.resolve("hot"));
        done = hot.resolve(".skyhaul-done");
        error = hot.resolve(".skyhaul-error");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "reel.mov     | 2 | reel (2).mov",
        "reel.mov     | 3 | reel (3).mov",
        "take.tar.gz  | 2 | take.tar (2).gz",
        "README       | 2 | README (2)",
        ".env         | 2 | .env (2)",
        "a.b.c        | 1 | a.b.c",
    })
    void collisionNamesGoBeforeTheExtension(String name, int attempt, String expected) {
        assertEquals(expected, CollisionNames.candidate(name, attempt));
    }

    @Test
    void moveToDoneKeepsTheRelativePathAndNeverOverwrites() throws IOException {
        FileDisposal disposal = new FileDisposal(hot, MOVE_TO_DONE, done, error, clock);
        Files.createDirectories(done.resolve("day1"));
        Files.writeString(done.resolve("day1/reel.mov"), "older");
        Files.writeString(done.resolve("day1/reel (2).mov"), "older still");

        ReadyFile ready = ready("day1/reel.mov", "new take");
        Result result = disposal.succeeded(ready);

        assertEquals(new Result(Outcome.MOVED, Optional.of(done.resolve("day1/reel (3).mov")), false), result);
        assertEquals("new take", Files.readString(done.resolve("day1/reel (3).mov")));
        assertEquals("older", Files.readString(done.resolve("day1/reel.mov")));
        assertFalse(Files.exists(hot.resolve("day1/reel.mov")));
    }

    @Test
    void aRunRepeatedAfterTheMoveIsAlreadyDone() throws IOException {
        FileDisposal disposal = new FileDisposal(hot, MOVE_TO_DONE, done, error, clock);
        Files.createDirectories(done);
        Files.writeString(done.resolve("reel.mov"), "someone else's");
        ReadyFile ready = ready("reel.mov", "ours");
        Path target = disposal.succeeded(ready).target().orElseThrow();

        // The service crashed before it recorded the move, and does it again.
        assertEquals(new Result(Outcome.ALREADY_DONE, Optional.of(target), false), disposal.succeeded(ready));
        assertEquals(done.resolve("reel (2).mov"), target);
        assertEquals(List.of("reel (2).mov", "reel.mov"), names(done));
    }

    @Test
    void deleteAndKeep() throws IOException {
        ReadyFile deleted = ready("a/one.mov", "1");
        assertEquals(Outcome.DELETED, new FileDisposal(hot, DELETE, null, error, clock).succeeded(deleted).outcome());
        assertFalse(Files.exists(hot.resolve("a/one.mov")));
        assertEquals(Outcome.ALREADY_DONE, new FileDisposal(hot, DELETE, null, error, clock).succeeded(deleted).outcome());

        ReadyFile kept = ready("a/two.mov", "2");
        assertEquals(Result.of(Outcome.KEPT), new FileDisposal(hot, KEEP, null, error, clock).succeeded(kept));
        assertEquals("2", Files.readString(hot.resolve("a/two.mov")));
    }

    @Test
    void aFileRewrittenSinceItWasJudgedIsLeftAloneWithItsMarker() throws IOException {
        ReadyFile ready = withMarker(ready("clip.mov", "version 1"));
        Files.writeString(hot.resolve("clip.mov"), "version 2, longer");

        for (FileDisposal.AfterSuccess after : FileDisposal.AfterSuccess.values()) {
            assertEquals(Outcome.CHANGED, new FileDisposal(hot, after, done, error, clock).succeeded(ready).outcome(), after.name());
        }
        assertEquals(Outcome.CHANGED, new FileDisposal(hot, DELETE, done, error, clock).failed(ready, REFUSED).outcome());
        assertEquals("version 2, longer", Files.readString(hot.resolve("clip.mov")));
        assertTrue(Files.exists(hot.resolve("clip.mov.ready")));
        assertFalse(Files.exists(done));
        assertFalse(Files.exists(error));
    }

    @Test
    void theMarkerIsRemovedOnceTheFileIsDealtWith() throws IOException {
        ReadyFile kept = withMarker(ready("k.mov", "k"));
        new FileDisposal(hot, KEEP, null, error, clock).succeeded(kept);
        assertFalse(Files.exists(hot.resolve("k.mov.ready")));

        ReadyFile moved = withMarker(ready("m.mov", "m"));
        new FileDisposal(hot, MOVE_TO_DONE, done, error, clock).succeeded(moved);
        assertFalse(Files.exists(hot.resolve("m.mov.ready")));
        assertFalse(Files.exists(done.resolve("m.mov.ready")), "the marker is a control file, not moved with the payload");

        ReadyFile refused = withMarker(ready("r.mov", "r"));
        new FileDisposal(hot, KEEP, null, error, clock).failed(refused, REFUSED);
        assertFalse(Files.exists(hot.resolve("r.mov.ready")));
    }

    @Test
    void aFailedFileGoesToTheErrorFolderWithItsReason() throws IOException {
        FileDisposal disposal = new FileDisposal(hot, KEEP, null, error, clock);
        Files.createDirectories(error.resolve("day1"));
        Files.writeString(error.resolve("day1/reel-01.mov"), "an earlier failure");
        ReadyFile ready = ready("day1/reel-01.mov", "%PDF-1.7");

        Result result = disposal.failed(ready, REFUSED);

        Path target = error.resolve("day1/reel-01 (2).mov");
        assertEquals(new Result(Outcome.MOVED, Optional.of(target), false), result);
        assertEquals("%PDF-1.7", Files.readString(target));
        Path reason = error.resolve("day1/reel-01 (2).mov.reason.txt");
        assertEquals(reason, FileDisposal.reasonFileFor(target));
        assertEquals("Skyhaul gateway: this file was not sent.\n"
                + "File: day1/reel-01.mov (8 bytes, modified " + ready.file().lastModified() + ")\n"
                + "Moved here: 2025-03-01T09:30:00Z\n"
                + "Rule: content-matches-extension\n"
                + "Reason: reel-01.mov: the bytes are not a QuickTime/MP4 file (starts with 25 50 44 46, a PDF)\n"
                + "What to do: Export the clip again as QuickTime — « pas un PDF » — and copy it into the hot folder.\n",
                new String(Files.readAllBytes(reason), StandardCharsets.UTF_8));
        assertEquals(List.of("reel-01 (2).mov", "reel-01 (2).mov.reason.txt", "reel-01.mov"), names(error.resolve("day1")),
                "no temporary file is left behind");
    }

    @Test
    void aCrashAfterTheReasonAndBeforeTheMoveIsRepairedByRunningAgain() throws IOException {
        FileDisposal disposal = new FileDisposal(hot, KEEP, null, error, clock);
        ReadyFile ready = ready("clip.mov", "payload");
        // What the crashed run left: its reason file, and a half-written temporary one.
        Files.createDirectories(error);
        Files.writeString(error.resolve("clip.mov.reason.txt"), "stale reason from the crashed run");
        Files.writeString(error.resolve(".clip.mov.reason.txt.skyhaul-tmp"), "half");

        Result result = disposal.failed(ready, REFUSED);

        assertEquals(Optional.of(error.resolve("clip.mov")), result.target());
        assertTrue(Files.readString(error.resolve("clip.mov.reason.txt")).contains("Rule: content-matches-extension"));
        assertEquals(List.of("clip.mov", "clip.mov.reason.txt"), names(error));
        assertEquals(new Result(Outcome.ALREADY_DONE, Optional.of(error.resolve("clip.mov")), false), disposal.failed(ready, REFUSED));
    }

    @Test
    void aSourceGoneWithoutATraceIsGone() throws IOException {
        ReadyFile ready = withMarker(ready("clip.mov", "x"));
        Files.delete(hot.resolve("clip.mov"));
        assertEquals(Result.of(Outcome.GONE), new FileDisposal(hot, MOVE_TO_DONE, done, error, clock).succeeded(ready));
        assertFalse(Files.exists(hot.resolve("clip.mov.ready")), "an orphan marker is cleaned up");
    }

    @Test
    void acrossFilesystemsTheFileIsCopiedForcedRenamedThenDeleted() throws IOException {
        Path otherFs = Path.of("/dev/shm");
        assumeTrue(Files.isDirectory(otherFs) && Files.isWritable(otherFs), "needs a tmpfs at /dev/shm");
        assumeTrue(!Files.getFileStore(otherFs).equals(Files.getFileStore(tmp)), "/dev/shm is on the same filesystem as the temp dir");
        Path doneElsewhere = Files.createTempDirectory(otherFs, "skyhaul-disposal-test");
        try {
            FileDisposal disposal = new FileDisposal(hot, MOVE_TO_DONE, doneElsewhere, error, clock);
            ReadyFile ready = ready("day1/clip.mov", "bytes that travel");
            Instant mtime = ready.file().lastModified();

            Result result = disposal.succeeded(ready);

            Path target = doneElsewhere.resolve("day1/clip.mov");
            assertEquals(new Result(Outcome.MOVED, Optional.of(target), true), result);
            assertEquals("bytes that travel", Files.readString(target));
            assertEquals(mtime, Files.getLastModifiedTime(target).toInstant());
            assertFalse(Files.exists(hot.resolve("day1/clip.mov")));
            assertEquals(List.of("clip.mov"), names(doneElsewhere.resolve("day1")));

            // A crash after the copy was renamed into place, before the original was deleted.
            ReadyFile again = ready("day2/clip.mov", "second");
            Files.createDirectories(doneElsewhere.resolve("day2"));
            Files.copy(hot.resolve("day2/clip.mov"), doneElsewhere.resolve("day2/clip.mov"), StandardCopyOption.COPY_ATTRIBUTES);
            Files.writeString(doneElsewhere.resolve("day2/.clip.mov.skyhaul-copy"), "torn copy of an even earlier attempt");
            assertEquals(new Result(Outcome.ALREADY_DONE, Optional.of(doneElsewhere.resolve("day2/clip.mov")), true), disposal.succeeded(again));
            assertFalse(Files.exists(hot.resolve("day2/clip.mov")));
            assertEquals(List.of("clip.mov"), names(doneElsewhere.resolve("day2")), "the torn temporary copy is cleaned up");

            // A crash in the middle of the copy: the torn temporary copy is replaced.
            ReadyFile third = ready("day3/clip.mov", "third");
            Files.createDirectories(doneElsewhere.resolve("day3"));
            Files.writeString(doneElsewhere.resolve("day3/.clip.mov.skyhaul-copy"), "torn");
            assertEquals(Outcome.MOVED, disposal.succeeded(third).outcome());
            assertEquals(List.of("clip.mov"), names(doneElsewhere.resolve("day3")));
            assertEquals("third", Files.readString(doneElsewhere.resolve("day3/clip.mov")));
        } finally {
            FolderScannerTest.deleteTree(doneElsewhere);
        }
    }

    @Test
    void pathsOutsideTheHotFolderAndMissingFoldersAreRefused() throws IOException {
        FileDisposal disposal = new FileDisposal(hot, DELETE, null, error, clock);
        Files.writeString(tmp.resolve("victim.txt"), "not yours");
        ScannedFile outside = new ScannedFile("../victim.txt", 9, Instant.EPOCH, Optional.empty());
        assertThrows(IllegalArgumentException.class, () -> disposal.succeeded(new ReadyFile(outside, Optional.empty(), false)));
        assertTrue(Files.exists(tmp.resolve("victim.txt")));
        assertThrows(NullPointerException.class, () -> new FileDisposal(hot, MOVE_TO_DONE, null, error, clock));
    }

    /** Writes a file in the hot folder and returns it as the tracker would report it. */
    private ReadyFile ready(String relative, String content) throws IOException {
        Path file = hot.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2025-02-28T18:00:00.5Z")));
        ScannedFile scanned = new FolderScanner(FilePatterns.everything(Set.of())).scan(hot).file(relative).orElseThrow();
        return new ReadyFile(scanned, Optional.empty(), false);
    }

    private ReadyFile withMarker(ReadyFile ready) throws IOException {
        String marker = ready.relativePath() + ".ready";
        Files.createFile(hot.resolve(marker));
        return new ReadyFile(ready.file(), Optional.of(marker), false);
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
