package io.skyhaul.gateway.spool;

import static io.skyhaul.gateway.spool.SpoolFixtures.CLOCK;
import static io.skyhaul.gateway.spool.SpoolFixtures.LOCATION;
import static io.skyhaul.gateway.spool.SpoolFixtures.accept;
import static io.skyhaul.gateway.spool.SpoolFixtures.body;
import static io.skyhaul.gateway.spool.SpoolFixtures.names;
import static io.skyhaul.gateway.spool.SpoolFixtures.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool's life cycle: accept, upload states, give up, and a reopen that gives back exactly what was there. */
class SpoolTest {
    @TempDir
    Path dir;

    @Test
    void anAcceptedBodyIsPendingWithItsDigestAndItsBytesOnDisk() throws Exception {
        byte[][] bodies = {body(0, 1), body(100_000, 2), body(7, 3)};
        Set<String> ids = new HashSet<>();
        try (Spool spool = Spool.open(dir, SpoolLimits.defaults(), CLOCK)) {
            for (int i = 0; i < bodies.length; i++) {
                SpoolEntry e = spool.accept(LOCATION, "dir/file-" + i, bodies[i].length, i == 1 ? null : sha256(bodies[i]),
                        new ByteArrayInputStream(bodies[i]));
                assertTrue(e.id().matches("[0-9a-f]{16}"), e.id());
                assertTrue(ids.add(e.id()));
                assertEquals(sha256(bodies[i]), e.sha256Hex());
                assertEquals(SpoolEntry.State.QUEUED, e.state());
                assertArrayEquals(bodies[i], Files.readAllBytes(spool.dataFile(e.id())));
                assertEquals(Optional.of(e), spool.get(e.id()));
            }
            assertEquals(List.of("dir/file-0", "dir/file-1", "dir/file-2"), spool.pending().stream().map(SpoolEntry::path).toList());
            assertEquals(new SpoolUsage(100_007, 0, SpoolLimits.DEFAULT_MAX_BYTES, 3, SpoolLimits.DEFAULT_MAX_FILES), spool.usage());
            assertTrue(names(dir.resolve("incoming")).isEmpty());
        }
    }

    @Test
    void reopeningAfterCloseRestoresEveryEntryAndStateExactly() throws Exception {
        List<SpoolEntry> pendingBefore;
        List<SpoolFailure> failuresBefore;
        SpoolUsage usageBefore;
        String a;
        String b;
        String c;
        String d;
        try (Spool spool = Spool.open(dir, SpoolLimits.defaults(), CLOCK)) {
            a = accept(spool, "a", body(10, 1)).id();
            b = accept(spool, "b", body(20, 2)).id();
            c = accept(spool, "c", body(30, 3)).id();
            d = accept(spool, "d", body(40, 4)).id();
            spool.uploading(List.of(a, b, d), "T1", "ref-1");
            spool.retry(List.of(b), "connection reset");
            spool.uploaded(List.of(a), "T1");
            spool.failed(c, "403 Forbidden");
            pendingBefore = spool.pending();
            failuresBefore = spool.recentFailures();
            usageBefore = spool.usage();
        }
        try (Spool spool = Spool.open(dir, SpoolLimits.defaults(), CLOCK)) {
            assertEquals(pendingBefore, spool.pending());
            assertEquals(failuresBefore, spool.recentFailures());
            assertEquals(usageBefore, spool.usage());
            assertEquals(List.of(b, d), spool.pending().stream().map(SpoolEntry::id).toList());
            SpoolEntry eb = spool.get(b).orElseThrow();
            assertEquals(SpoolEntry.State.QUEUED, eb.state());
            assertEquals(1, eb.attempts());
            assertEquals("connection reset", eb.lastError());
            assertNull(eb.transferId());
            SpoolEntry ed = spool.get(d).orElseThrow();
            assertEquals(SpoolEntry.State.UPLOADING, ed.state());
            assertEquals("T1", ed.transferId());
            assertEquals("ref-1", ed.clientRef());
            assertEquals(new RecoveryReport(2, List.of(), 0, 0, 0), spool.recoveryReport());
            assertEquals(List.of(b, d).stream().sorted().toList(), names(dir.resolve("data")));
            SpoolFixtures.assertIntact(spool, dir);
        }
    }

    @Test
    void uploadedDeletesTheBodyReleasesTheSpaceAndIsIdempotent() throws Exception {
        try (Spool spool = Spool.open(dir, SpoolLimits.defaults(), CLOCK)) {
            SpoolEntry e = accept(spool, "x", body(1000, 1));
            SpoolEntry f = accept(spool, "y", body(500, 2));
            spool.uploading(List.of(e.id()), "T9", null);
            spool.uploaded(List.of(e.id()), "T9");
            spool.uploaded(List.of(e.id()), "T9");
            spool.uploaded(List.of(e.id(), f.id(), f.id()), "T10");
            assertEquals(List.of(), spool.pending());
            assertEquals(0, spool.usage().usedBytes());
            assertEquals(0, spool.usage().files());
            assertEquals(List.of(), names(dir.resolve("data")));
            assertThrows(IllegalArgumentException.class, () -> spool.dataFile(e.id()));
        }
    }

    @Test
    void retryCountsFailedAttemptsAndKeepsTheLastError() throws Exception {
        try (Spool spool = Spool.open(dir, SpoolLimits.defaults(), CLOCK)) {
            String id = accept(spool, "x", body(10, 1)).id();
            for (int i = 1; i <= 3; i++) {
                spool.uploading(List.of(id), "T" + i, "c" + i);
                spool.retry(List.of(id), "error " + i + "\nwith a second line");
            }
            SpoolEntry e = spool.get(id).orElseThrow();
            assertEquals(3, e.attempts());
            assertEquals("error 3\nwith a second line", e.lastError());
            assertEquals(SpoolEntry.State.QUEUED, e.state());
        }
    }

    @Test
    void givenUpEntriesStayInABoundedListWithTheirKeptBodies() throws Exception {
        SpoolLimits limits = SpoolLimits.defaults().withMaxRecentFailures(2).withKeepFailedBodies(true);
        byte[][] bodies = {body(11, 1), body(12, 2), body(13, 3)};
        String[] ids = new String[3];
        try (Spool spool = Spool.open(dir, limits, CLOCK)) {
            for (int i = 0; i < 3; i++) {
                ids[i] = accept(spool, "f" + i, bodies[i]).id();
                spool.failed(ids[i], "refused " + i);
                spool.failed(ids[i], "refused again");
            }
            assertEquals(List.of(ids[1], ids[2]), spool.recentFailures().stream().map(SpoolFailure::id).toList());
            assertEquals("refused 2", spool.recentFailures().get(1).reason());
            assertEquals(Optional.empty(), spool.failedBody(ids[0]));
            assertArrayEquals(bodies[2], Files.readAllBytes(spool.failedBody(ids[2]).orElseThrow()));
            assertEquals(List.of(ids[1], ids[2]).stream().sorted().toList(), names(dir.resolve("failed")));
            assertEquals(List.of(), spool.pending());
            assertEquals(0, spool.usage().usedBytes());
        }
        try (Spool spool = Spool.open(dir, limits, CLOCK)) {
            assertEquals(List.of(ids[1], ids[2]), spool.recentFailures().stream().map(SpoolFailure::id).toList());
            assertTrue(spool.recentFailures().stream().allMatch(SpoolFailure::bodyKept));
            assertEquals(List.of(ids[1], ids[2]).stream().sorted().toList(), names(dir.resolve("failed")));
        }
    }

    @Test
    void givenUpBodiesAreDeletedUnlessKept() throws Exception {
        try (Spool spool = Spool.open(dir, SpoolLimits.defaults(), CLOCK)) {
            String id = accept(spool, "f", body(10, 1)).id();
            spool.failed(id, "404");
            assertEquals(List.of(), names(dir.resolve("data")));
            assertEquals(List.of(), names(dir.resolve("failed")));
            assertFalse(spool.recentFailures().get(0).bodyKept());
        }
    }

    @Test
    void theUploaderCannotMoveEntriesThatAreNotPending() throws Exception {
        try (Spool spool = Spool.open(dir, SpoolLimits.defaults(), CLOCK)) {
            String id = accept(spool, "f", body(10, 1)).id();
            assertThrows(IllegalArgumentException.class, () -> spool.uploading(List.of("0123456789abcdef"), "T", null));
            assertThrows(IllegalArgumentException.class, () -> spool.uploading(List.of(id, id), "T", null));
            assertThrows(IllegalArgumentException.class, () -> spool.uploading(List.of(), "T", null));
            assertThrows(IllegalArgumentException.class, () -> spool.uploading(List.of(id), null, null));
            assertThrows(IllegalArgumentException.class, () -> spool.uploading(List.of(id), "T\n2", null));
            assertThrows(IllegalArgumentException.class, () -> spool.retry(List.of("0123456789abcdef"), "x"));
            assertThrows(IllegalArgumentException.class, () -> spool.failed("0123456789abcdef", "x"));
            assertThrows(IllegalArgumentException.class, () -> spool.dataFile("../wal"));
            // Nothing of the refused calls reached the entry.
            assertEquals(SpoolEntry.State.QUEUED, spool.get(id).orElseThrow().state());
        }
    }

    @Test
    void compactionRewritesTheLogToTheLiveStateAndLosesNothing() throws Exception {
        SpoolLimits limits = SpoolLimits.defaults().withCompactionMinDeadRecords(10);
        List<SpoolEntry> before;
        try (Spool spool = Spool.open(dir, limits, CLOCK)) {
            for (int i = 0; i < 200; i++) {
                String id = accept(spool, "f" + i, body(i, i)).id();
                spool.uploading(List.of(id), "T" + i, null);
                if (i % 3 == 0) {
                    spool.retry(List.of(id), "e" + i);
                } else if (i % 7 != 0) {
                    spool.uploaded(List.of(id), "T" + i);
                }
            }
            before = spool.pending();
            long live = before.size();
            long records = WalFrames.read(dir.resolve("wal")).records().size();
            // Without compaction the log would hold about 500 records.
            assertTrue(records <= 2 * live + 10 + 3, records + " records for " + live + " live entries");
        }
        try (Spool spool = Spool.open(dir, limits, CLOCK)) {
            assertEquals(before, spool.pending());
            SpoolFixtures.assertIntact(spool, dir);
        }
    }

    @Test
    void aSpoolDirectoryIsOpenedByOneSpoolAtATime() throws Exception {
        try (Spool first = Spool.open(dir, SpoolLimits.defaults(), CLOCK)) {
            IOException e = assertThrows(IOException.class, () -> Spool.open(dir, SpoolLimits.defaults(), CLOCK));
            assertTrue(e.getMessage().contains("already open"), e.getMessage());
            assertEquals(List.of(), first.pending());
        }
        Spool.open(dir, SpoolLimits.defaults(), CLOCK).close();
    }

    @Test
    void locationsAndPathsAreStoredAsGivenAndOnlyBounded() throws Exception {
        try (Spool spool = Spool.open(dir, SpoolLimits.defaults(), CLOCK)) {
            String odd = "azure://acct/cont ainer/préfixe/../ünïcode/";
            String longPath = "p/".repeat(2048);
            SpoolEntry e = spool.accept(odd, longPath, 0, null, new ByteArrayInputStream(new byte[0]));
            assertEquals(odd, spool.get(e.id()).orElseThrow().location());
            assertEquals(longPath, spool.get(e.id()).orElseThrow().path());
            for (String[] bad : new String[][] {{odd, longPath + "x"}, {"s".repeat(1025), "p"}, {odd, "a\0b"}, {odd, "a\nb"}, {odd, ""}, {null, "p"}}) {
                assertThrows(SpoolRefusedException.class, () -> spool.accept(bad[0], bad[1], 0, null, new ByteArrayInputStream(new byte[0])));
            }
            assertEquals(1, spool.pending().size());
        }
    }

    @Test
    void callsAfterCloseAreRefused() throws Exception {
        Spool spool = Spool.open(dir, SpoolLimits.defaults(), CLOCK);
        String id = accept(spool, "f", body(1, 1)).id();
        spool.close();
        assertThrows(IllegalStateException.class, () -> accept(spool, "g", body(1, 2)));
        assertThrows(IllegalStateException.class, () -> spool.uploading(List.of(id), "T", null));
    }
}
