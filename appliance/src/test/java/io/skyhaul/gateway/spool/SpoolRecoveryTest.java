package io.skyhaul.gateway.spool;

import static io.skyhaul.gateway.spool.SpoolFixtures.CLOCK;
import static io.skyhaul.gateway.spool.SpoolFixtures.accept;
import static io.skyhaul.gateway.spool.SpoolFixtures.body;
import static io.skyhaul.gateway.spool.SpoolFixtures.copySpool;
import static io.skyhaul.gateway.spool.SpoolFixtures.names;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.skyhaul.testing.LogCapture;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Opening after a crash: a torn log tail is cut off, damage elsewhere is refused, and the directories are brought in line with the log. */
@Timeout(60)
class SpoolRecoveryTest {
    @TempDir
    Path dir;

    /** What a spool showed, to compare with what a reopened one shows. */
    private record State(List<SpoolEntry> pending, List<SpoolFailure> failures) {
        static State of(Spool spool) {
            return new State(spool.pending(), spool.recentFailures());
        }
    }

    @Test
    void aTornAcceptRecordAtEveryByteRecoversTheStateBeforeIt() throws Exception {
        Path original = dir.resolve("original");
        State before;
        try (Spool spool = Spool.open(original, SpoolLimits.defaults(), CLOCK)) {
            history(spool);
            before = State.of(spool);
            accept(spool, "last/accepted", body(5000, 99));
        }
        assertEveryTornTailRecovers(original, before, "an accept");
    }

    @Test
    void aTornUploadingRecordAtEveryByteRecoversTheStateBeforeIt() throws Exception {
        Path original = dir.resolve("original");
        State before;
        try (Spool spool = Spool.open(original, SpoolLimits.defaults(), CLOCK)) {
            history(spool);
            before = State.of(spool);
            spool.uploading(spool.pending().stream().map(SpoolEntry::id).toList(), "T-last", "client-ref");
        }
        assertEveryTornTailRecovers(original, before, "an uploading batch");
    }

    @Test
    void aFlippedByteInAnyRecordButTheLastIsReportedWithItsOffset() throws Exception {
        Path original = dir.resolve("original");
        try (Spool spool = Spool.open(original, SpoolLimits.defaults(), CLOCK)) {
            history(spool);
        }
        List<WalFrames.Framed> records = WalFrames.read(original.resolve("wal")).records();
        long start = records.get(1).offset();
        long end = records.get(2).offset();
        byte[] wal = Files.readAllBytes(original.resolve("wal"));
        for (long at = start; at < end; at++) {
            Path copy = copySpool(original, dir.resolve("flip-" + at));
            byte[] damaged = wal.clone();
            damaged[(int) at] ^= 0x10;
            Files.write(copy.resolve("wal"), damaged);
            SpoolCorruptException e = assertThrows(SpoolCorruptException.class, () -> Spool.open(copy, SpoolLimits.defaults(), CLOCK),
                    "byte " + at + " flipped");
            assertEquals(start, e.offset(), e.getMessage());
            assertTrue(e.getMessage().contains(copy.resolve("wal").toString()) && e.getMessage().contains("offset " + start), e.getMessage());
            // Refusing to start changed nothing: the bodies are all still there.
            assertEquals(names(original.resolve("data")), names(copy.resolve("data")));
        }
    }

    @Test
    void aDamagedFileHeaderIsRefused() throws Exception {
        try (Spool spool = Spool.open(dir, SpoolLimits.defaults(), CLOCK)) {
            accept(spool, "a", body(10, 1));
        }
        byte[] wal = Files.readAllBytes(dir.resolve("wal"));
        wal[3] ^= 0x01;
        Files.write(dir.resolve("wal"), wal);
        SpoolCorruptException e = assertThrows(SpoolCorruptException.class, () -> Spool.open(dir, SpoolLimits.defaults(), CLOCK));
        assertTrue(e.getMessage().contains("not a spool write-ahead log"), e.getMessage());
    }

    @Test
    void aZeroFilledTailIsCutOff() throws Exception {
        State before;
        try (Spool spool = Spool.open(dir, SpoolLimits.defaults(), CLOCK)) {
            history(spool);
            before = State.of(spool);
        }
        Files.write(dir.resolve("wal"), new byte[4096], StandardOpenOption.APPEND);
        try (Spool spool = Spool.open(dir, SpoolLimits.defaults(), CLOCK)) {
            assertEquals(before, State.of(spool));
            assertEquals(4096, spool.recoveryReport().tornTailBytes());
        }
    }

    @Test
    void anAcknowledgedBodyThatIsMissingOrShortIsReportedLostLoudlyAndRecordedAsFailed() throws Exception {
        String missing;
        String shortened;
        String intact;
        try (Spool spool = Spool.open(dir, SpoolLimits.defaults(), CLOCK)) {
            missing = accept(spool, "m", body(100, 1)).id();
            shortened = accept(spool, "s", body(100, 2)).id();
            intact = accept(spool, "i", body(100, 3)).id();
        }
        Files.delete(dir.resolve("data").resolve(missing));
        try (FileChannel ch = FileChannel.open(dir.resolve("data").resolve(shortened), StandardOpenOption.WRITE)) {
            ch.truncate(60);
        }
        try (LogCapture log = new LogCapture(Level.ERROR); Spool spool = Spool.open(dir, SpoolLimits.defaults(), CLOCK)) {
            RecoveryReport report = spool.recoveryReport();
            assertEquals(List.of(missing, shortened), report.lost().stream().map(l -> l.entry().id()).toList());
            assertTrue(report.lost().get(0).problem().contains("missing"), report.lost().get(0).problem());
            assertTrue(report.lost().get(1).problem().contains("has 60 bytes, not 100"), report.lost().get(1).problem());
            assertEquals(1, report.recovered());
            assertEquals(List.of(intact), spool.pending().stream().map(SpoolEntry::id).toList());
            assertEquals(List.of(missing, shortened), spool.recentFailures().stream().map(SpoolFailure::id).toList());
            List<String> errors = log.problems();
            assertEquals(2, errors.size(), errors.toString());
            assertTrue(errors.get(0).contains(missing) && errors.get(0).contains("LOST"), errors.get(0));
            assertEquals(List.of(intact), names(dir.resolve("data")));
        }
        // Recorded once: the next start is clean.
        try (Spool spool = Spool.open(dir, SpoolLimits.defaults(), CLOCK)) {
            assertEquals(List.of(), spool.recoveryReport().lost());
            assertEquals(2, spool.recentFailures().size());
        }
    }

    @Test
    void partialBodiesAndFilesTheLogDoesNotKnowAreDeleted() throws Exception {
        String kept;
        try (Spool spool = Spool.open(dir, SpoolLimits.defaults(), CLOCK)) {
            kept = accept(spool, "k", body(100, 1)).id();
        }
        Files.write(dir.resolve("incoming").resolve("00000000000000aa.part"), body(50, 2));
        Files.write(dir.resolve("data").resolve("00000000000000bb"), body(50, 3));
        Files.write(dir.resolve("failed").resolve("00000000000000cc"), body(50, 4));
        Files.write(dir.resolve("wal.new"), body(50, 5));
        try (Spool spool = Spool.open(dir, SpoolLimits.defaults(), CLOCK)) {
            assertEquals(new RecoveryReport(1, List.of(), 0, 1, 2), spool.recoveryReport());
            assertEquals(List.of(kept), names(dir.resolve("data")));
            assertEquals(List.of(), names(dir.resolve("incoming")));
            assertEquals(List.of(), names(dir.resolve("failed")));
            assertTrue(Files.notExists(dir.resolve("wal.new")));
        }
    }

    @Test
    void bodiesWithoutALogAreNotDeleted() throws Exception {
        try (Spool spool = Spool.open(dir, SpoolLimits.defaults(), CLOCK)) {
            accept(spool, "k", body(100, 1));
        }
        Files.delete(dir.resolve("wal"));
        IOException e = assertThrows(IOException.class, () -> Spool.open(dir, SpoolLimits.defaults(), CLOCK));
        assertTrue(e.getMessage().contains("no write-ahead log"), e.getMessage());
        assertEquals(1, names(dir.resolve("data")).size());
    }

    /** Some entries in every state, and a failure: the state a torn or damaged record must not disturb. */
    private static void history(Spool spool) throws Exception {
        String a = accept(spool, "a", body(100, 1)).id();
        String b = accept(spool, "b/ü", body(0, 2)).id();
        String c = accept(spool, "c", body(3000, 3)).id();
        String d = accept(spool, "d", body(10, 4)).id();
        spool.uploading(List.of(a, b), "T1", null);
        spool.retry(List.of(b), "timeout");
        spool.failed(d, "403");
        spool.uploaded(List.of(a), "T1");
        accept(spool, "e", body(20, 5));
        spool.uploading(List.of(c), "T2", "ref");
    }

    /** Cuts a copy of the log at every byte of its last record: each copy opens to {@code before}, and goes on working. */
    private void assertEveryTornTailRecovers(Path original, State before, String what) throws Exception {
        Path wal = original.resolve("wal");
        long last = WalFrames.read(wal).records().get(WalFrames.read(wal).records().size() - 1).offset();
        long size = Files.size(wal);
        assertTrue(size - last > WalFrames.FRAME_HEADER, what + " record of " + (size - last) + " bytes");
        for (long cut = last; cut < size; cut++) {
            Path copy = copySpool(original, dir.resolve("cut-" + cut));
            try (FileChannel ch = FileChannel.open(copy.resolve("wal"), StandardOpenOption.WRITE)) {
                ch.truncate(cut);
            }
            try (Spool spool = Spool.open(copy, SpoolLimits.defaults(), CLOCK)) {
                assertEquals(before, State.of(spool), what + " cut at " + cut);
                assertEquals(cut - last, spool.recoveryReport().tornTailBytes());
                assertEquals(List.of(), spool.recoveryReport().lost());
                assertEquals(last, Files.size(copy.resolve("wal")), "log cut back to its last whole record");
                accept(spool, "after-recovery", body(10, cut));
            }
            try (Spool spool = Spool.open(copy, SpoolLimits.defaults(), CLOCK)) {
                assertTrue(spool.recoveryReport().clean(), spool.recoveryReport().toString());
                assertEquals(before.pending().size() + 1, spool.pending().size());
                SpoolFixtures.assertIntact(spool, copy);
            }
        }
    }
}
