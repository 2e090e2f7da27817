package io.skyhaul.transport.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.skyhaul.testing.LogCapture;
import io.skyhaul.testing.LoopbackNode;
import io.skyhaul.testing.TestFiles;
import io.skyhaul.transport.files.TransferSink;
import io.skyhaul.transport.ticket.Direction;
import io.skyhaul.transport.ticket.SessionTicket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Whole transfers between a TransferClient and a TransferNode over real UDP sockets on 127.0.0.1. */
@Timeout(30)
class LoopbackTransferTest {
    static final TransportSettings SETTINGS = TransportSettings.defaults().withIdleTimeout(Duration.ofSeconds(10))
            .withHandshakeTimeout(Duration.ofSeconds(5));

    @TempDir
    Path tmp;
    Path src;
    Path root;
    LoopbackNode node;
    LogCapture log;

    @BeforeEach
    void startNode() throws Exception {
        src = Files.createDirectory(tmp.resolve("src"));
        root = Files.createDirectory(tmp.resolve("node-root"));
        log = new LogCapture();
        node = LoopbackNode.start(root, SETTINGS);
    }

    @AfterEach
    void stopNode() {
        node.close();
        log.close();
        assertEquals(List.of(), log.problems(), "no errors logged, no exception reached the end of a Netty pipeline");
    }

    private void assertNodeSessionSucceeded() throws InterruptedException {
        TransferNode.SessionOutcome outcome = node.nextOutcome(Duration.ofSeconds(5));
        assertNotNull(outcome, "the node reported the session's end");
        assertNull(outcome.failure(), () -> "node side failed: " + outcome.failure());
    }

    private void assertNoStagingLeft(Path dir) {
        assertFalse(TestFiles.exists(dir.resolve(TransferSink.STAGING_DIR)), "no staging directory is left behind in " + dir);
    }

    @Test
    void aSingleFileArrivesByteIdenticalWithItsTimeAndDigest() throws Exception {
        Path file = TestFiles.randomFile(src.resolve("data.bin"), 3_000_017, 1);
        Files.setLastModifiedTime(file, FileTime.fromMillis(1_600_000_000_123L));
        TransferReport report = node.send(SETTINGS, List.of(file));
        Path received = root.resolve("data.bin");
        String sha = TestFiles.sha256(file);
        assertEquals(sha, TestFiles.sha256(received));
        assertEquals(1_600_000_000_123L, Files.getLastModifiedTime(received).toMillis(), "modification time kept");
        assertEquals(1, report.files());
        assertEquals(3_000_017, report.bytes());
        assertEquals(0, report.resumedBytes());
        assertTrue(report.sentBytes() >= 3_000_017, "sent at least every byte once: " + report.sentBytes());
        assertEquals(Map.of("data.bin", sha), report.digests());
        assertNoStagingLeft(root);
        assertNodeSessionSucceeded();
        // A clean run drops nothing (a late CLOSE after the session ended may count as unknownSession, which is harmless).
        TransportCounters c = node.node().counters();
        assertEquals(0, c.forged.sum() + c.replayed.sum() + c.malformed.sum() + c.oversized.sum() + c.badTicket.sum() + c.wrongAddress.sum(),
                c.toString());
    }

    @Test
    void aZeroByteFileArrives() throws Exception {
        Path file = Files.createFile(src.resolve("empty.txt"));
        TransferReport report = node.send(SETTINGS, List.of(file));
        assertTrue(Files.isRegularFile(root.resolve("empty.txt")));
        assertEquals(0, Files.size(root.resolve("empty.txt")));
        assertEquals(1, report.files());
        assertEquals(0, report.bytes());
        assertNoStagingLeft(root);
        assertNodeSessionSucceeded();
    }

    @Test
    void emptyDirectoriesAreKept() throws Exception {
        Path tree = Files.createDirectories(src.resolve("tree"));
        Files.createDirectories(tree.resolve("empty"));
        Files.createDirectories(tree.resolve("deep/er/still-empty"));
        Files.writeString(tree.resolve("deep/file.txt"), "x");
        node.send(SETTINGS, List.of(tree));
        TestFiles.assertSameTree(src, root);
        assertTrue(Files.isDirectory(root.resolve("tree/deep/er/still-empty")));
        assertNodeSessionSucceeded();
    }

    @Test
    void aDirectoryWithNoFilesAtAllArrives() throws Exception {
        Path tree = Files.createDirectories(src.resolve("only-dirs/a/b"));
        Files.createDirectories(src.resolve("only-dirs/c"));
        TransferReport report = node.send(SETTINGS, List.of(src.resolve("only-dirs")));
        assertEquals(0, report.files());
        TestFiles.assertSameTree(src, root);
        assertTrue(Files.isDirectory(root.resolve("only-dirs/a/b")), tree.toString());
        assertNodeSessionSucceeded();
    }

    @Test
    void unicodeNamesAreKept() throws Exception {
        assumeTrue("UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding")), "file names need a UTF-8 locale");
        Path dir = Files.createDirectories(src.resolve("café"));
        Files.writeString(dir.resolve("日本語 ✓.txt"), "こんにちは", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("Ünïcödé ünd spaces.md"), "# ok", StandardCharsets.UTF_8);
        TransferReport report = node.send(SETTINGS, List.of(dir));
        assertEquals("こんにちは", Files.readString(root.resolve("café/日本語 ✓.txt"), StandardCharsets.UTF_8));
        TestFiles.assertSameTree(src, root);
        assertTrue(report.digests().containsKey("café/日本語 ✓.txt"), report.digests().toString());
        assertNodeSessionSucceeded();
    }

    @Test
    void aDirectoryTreeWithFilesOfManySizesArrivesIntact() throws Exception {
        Path tree = src.resolve("tree");
        long[] sizes = {0, 1, 1399, 1400, 1401, 65_536, 1_048_575, 1_048_576, 1_048_577, 2_500_000};
        for (int i = 0; i < sizes.length; i++) {
            TestFiles.randomFile(tree.resolve("level" + (i % 3) + "/sub" + (i % 2) + "/f" + i + ".bin"), sizes[i], 100 + i);
        }
        Files.createDirectories(tree.resolve("level9/empty"));
        TransferReport report = node.send(SETTINGS, List.of(tree));
        TestFiles.assertSameTree(src, root);
        assertEquals(sizes.length, report.files());
        assertNoStagingLeft(root);
        assertNodeSessionSucceeded();
    }

    @Test
    void severalPathsInOneSession() throws Exception {
        Path a = TestFiles.randomFile(src.resolve("a.bin"), 10_000, 1);
        Path dir = Files.createDirectories(src.resolve("dir"));
        TestFiles.randomFile(dir.resolve("b.bin"), 20_000, 2);
        node.send(SETTINGS, List.of(a, dir));
        TestFiles.assertSameTree(src, root);
        assertNodeSessionSucceeded();
    }

    @Test
    @Timeout(90)
    void tenThousandSmallFilesInOneSession() throws Exception {
        Path tree = src.resolve("many");
        for (int i = 0; i < 10_000; i++) {
            Path p = tree.resolve("d" + (i / 500) + "/file-" + i + ".txt");
            if (i % 500 == 0) {
                Files.createDirectories(p.getParent());
            }
            // 0 to about 180 bytes, every content distinct.
            Files.writeString(p, ("line " + i + "\n").repeat(i % 17));
        }
        long start = System.nanoTime();
        TransferReport report = node.send(SETTINGS, List.of(tree));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(10_000, report.files());
        TestFiles.assertSameTree(src, root);
        assertNoStagingLeft(root);
        assertNodeSessionSucceeded();
        System.err.printf("10,000 files in one session: %.2f s%n", seconds);
    }

    @Test
    void getDownloadsAFile() throws Exception {
        Path file = TestFiles.randomFile(root.resolve("served/report.bin"), 2_000_003, 7);
        Path dest = tmp.resolve("downloads");
        TransferReport report = node.get(SETTINGS, List.of("served/report.bin"), dest);
        assertEquals(TestFiles.sha256(file), TestFiles.sha256(dest.resolve("report.bin")), "downloaded under its own name");
        assertEquals(1, report.files());
        assertEquals(2_000_003, report.bytes());
        assertNoStagingLeft(dest);
        assertNodeSessionSucceeded();
    }

    @Test
    void getDownloadsADirectoryTree() throws Exception {
        Path served = root.resolve("served");
        TestFiles.randomFile(served.resolve("a/one.bin"), 300_000, 1);
        TestFiles.randomFile(served.resolve("a/b/two.bin"), 1, 2);
        Files.createFile(Files.createDirectories(served.resolve("c")).resolve("zero"));
        Files.createDirectories(served.resolve("empty"));
        Path dest = tmp.resolve("downloads");
        TransferReport report = node.get(SETTINGS, List.of("served"), dest);
        TestFiles.assertSameTree(root, dest);
        assertEquals(3, report.files());
        assertNodeSessionSucceeded();
    }

    @Test
    void getOfSeveralPaths() throws Exception {
        TestFiles.randomFile(root.resolve("x/1.bin"), 5000, 1);
        TestFiles.randomFile(root.resolve("y/2.bin"), 6000, 2);
        Path dest = tmp.resolve("downloads");
        node.get(SETTINGS, List.of("x/1.bin", "y"), dest);
        assertEquals(TestFiles.sha256(root.resolve("x/1.bin")), TestFiles.sha256(dest.resolve("1.bin")));
        assertEquals(TestFiles.sha256(root.resolve("y/2.bin")), TestFiles.sha256(dest.resolve("y/2.bin")));
        assertNodeSessionSucceeded();
    }

    @Test
    void aScopedTicketWritesUnderItsScope() throws Exception {
        Path file = TestFiles.randomFile(src.resolve("in-scope.bin"), 10_000, 3);
        SessionTicket ticket = node.sealer().issue(LoopbackNode.TICKET_LIFETIME, Direction.UPLOAD, "inbox/team-a");
        node.send(SETTINGS, node.address(), ticket, List.of(file));
        assertEquals(TestFiles.sha256(file), TestFiles.sha256(root.resolve("inbox/team-a/in-scope.bin")));
        assertFalse(TestFiles.exists(root.resolve("in-scope.bin")));
        assertNodeSessionSucceeded();
    }

    @Test
    void javaNioSocketsOnBothEnds() throws Exception {
        node.close();
        TransportSettings nio = SETTINGS.withNativeTransport(false);
        node = LoopbackNode.start(root, nio);
        Path file = TestFiles.randomFile(src.resolve("nio.bin"), 1_500_000, 4);
        node.send(nio, List.of(file));
        assertEquals(TestFiles.sha256(file), TestFiles.sha256(root.resolve("nio.bin")));
        assertNodeSessionSucceeded();
    }

    @Test
    void jumboDatagrams() throws Exception {
        TransportSettings jumbo = SETTINGS.withDatagramSize(9000);
        Path file = TestFiles.randomFile(src.resolve("jumbo.bin"), 2_000_000, 5);
        node.send(jumbo, List.of(file));
        assertEquals(TestFiles.sha256(file), TestFiles.sha256(root.resolve("jumbo.bin")));
        assertNodeSessionSucceeded();
    }

    @Test
    void sendingTheSameFileAgainReplacesItWhole() throws Exception {
        Path file = TestFiles.randomFile(src.resolve("again.bin"), 100_000, 6);
        node.send(SETTINGS, List.of(file));
        assertNodeSessionSucceeded();
        TestFiles.randomFile(file, 50_000, 7);
        TransferReport second = node.send(SETTINGS, List.of(file));
        assertEquals(TestFiles.sha256(file), TestFiles.sha256(root.resolve("again.bin")));
        assertEquals(0, second.resumedBytes());
        assertNodeSessionSucceeded();
    }

    @Test
    void twoClientsAtOnce() throws Exception {
        Path a = TestFiles.randomFile(src.resolve("a/a.bin"), 1_000_000, 8);
        Path b = TestFiles.randomFile(src.resolve("b/b.bin"), 1_000_000, 9);
        AtomicReference<Throwable> otherFailure = new AtomicReference<>();
        Thread other = new Thread(() -> {
            try {
                node.send(SETTINGS, List.of(b));
            } catch (TransferException | RuntimeException e) {
                otherFailure.set(e);
            }
        }, "second-client");
        other.start();
        node.send(SETTINGS, List.of(a));
        other.join(20_000);
        assertFalse(other.isAlive());
        assertNull(otherFailure.get());
        assertEquals(TestFiles.sha256(a), TestFiles.sha256(root.resolve("a.bin")));
        assertEquals(TestFiles.sha256(b), TestFiles.sha256(root.resolve("b.bin")));
        assertNodeSessionSucceeded();
        assertNodeSessionSucceeded();
    }
}
