package io.skyhaul.transport.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skyhaul.testing.LoopbackNode;
import io.skyhaul.testing.TestFiles;
import io.skyhaul.transport.ticket.Direction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rule: a name never escapes the target directory. Each escape is tried over the real protocol;
 * each must fail with REFUSED, tell the client why, and write nothing anywhere.
 */
@Timeout(30)
class PathEscapeTest {
    private static final TransportSettings SETTINGS = LoopbackTransferTest.SETTINGS;

    @TempDir
    Path tmp;
    Path root;
    Path outside;
    Path downloads;
    LoopbackNode node;
    Map<String, String> outsideBefore;

    @BeforeEach
    void start() throws Exception {
        root = Files.createDirectory(tmp.resolve("node-root"));
        outside = Files.createDirectory(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "not for you");
        TestFiles.randomFile(root.resolve("public/ok.bin"), 1000, 1);
        downloads = tmp.resolve("downloads");
        outsideBefore = TestFiles.snapshot(outside);
        node = LoopbackNode.start(root, SETTINGS);
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
        assertEquals(outsideBefore, TestFiles.snapshot(outside), "nothing outside the root was read into place or changed");
    }

    private TransferException refusedGet(String remotePath) {
        TransferException e = assertThrows(TransferException.class, () -> node.get(SETTINGS, List.of(remotePath), downloads));
        assertEquals(TransferError.REFUSED, e.error(), e.getMessage());
        return e;
    }

    private void assertNothingDownloaded() throws Exception {
        assertTrue(!Files.exists(downloads) || TestFiles.isEmptyDirectory(downloads), () -> "downloads: " + snapshotOrNone(downloads));
    }

    private static String snapshotOrNone(Path dir) {
        try {
            return TestFiles.snapshot(dir).toString();
        } catch (Exception e) {
            return e.toString();
        }
    }

    private void assertNodeRefused() throws InterruptedException {
        TransferNode.SessionOutcome outcome = node.nextOutcome(Duration.ofSeconds(5));
        assertNotNull(outcome);
        assertNotNull(outcome.failure(), "the node ended the session as failed");
        assertEquals(TransferError.REFUSED, outcome.failure().error());
    }

    @Test
    void getOfADotDotPathIsRefused() throws Exception {
        TransferException e = refusedGet("../outside/secret.txt");
        assertTrue(e.getMessage().contains("escape"), e.getMessage());
        refusedGet("public/../../outside/secret.txt");
        assertNothingDownloaded();
    }

    @Test
    void getOfAnAbsolutePathIsRefused() throws Exception {
        TransferException e = refusedGet("/etc/passwd");
        assertTrue(e.getMessage().contains("absolute"), e.getMessage());
        refusedGet(outside.resolve("secret.txt").toString());
        assertNothingDownloaded();
        assertNodeRefused();
    }

    @Test
    void getThroughASymbolicLinkPointingOutsideIsRefused() throws Exception {
        Files.createSymbolicLink(root.resolve("public/link-to-secret"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("public/link-to-outside"), outside);
        TransferException e = refusedGet("public/link-to-secret");
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
        refusedGet("public/link-to-outside/secret.txt");
        refusedGet("public/link-to-outside");
        assertNothingDownloaded();
    }

    @Test
    void aSymbolicLinkInsideADownloadedTreeIsNotFollowed() throws Exception {
        Files.createSymbolicLink(root.resolve("public/link-to-outside"), outside);
        node.get(SETTINGS, List.of("public"), downloads);
        assertEquals(Map.of("public", "dir", "public/ok.bin", TestFiles.sha256(root.resolve("public/ok.bin"))), TestFiles.snapshot(downloads),
                "the link is left out, and nothing behind it is sent");
    }

    @Test
    void getOfAMissingPathIsRefusedWithItsName() throws Exception {
        TransferException e = refusedGet("public/absent.bin");
        assertTrue(e.getMessage().contains("absent.bin") && e.getMessage().contains("does not exist"), e.getMessage());
        assertNothingDownloaded();
    }

    @Test
    void anUploadOntoASymbolicLinkAtTheTargetIsRefused() throws Exception {
        Files.createSymbolicLink(root.resolve("victim.txt"), outside.resolve("secret.txt"));
        Path src = Files.createDirectory(tmp.resolve("src"));
        Path file = Files.writeString(src.resolve("victim.txt"), "overwritten!");
        TransferException e = assertThrows(TransferException.class, () -> node.send(SETTINGS, List.of(file)));
        assertEquals(TransferError.REFUSED, e.error(), e.getMessage());
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
        assertTrue(Files.isSymbolicLink(root.resolve("victim.txt")), "the link is still a link");
        assertNodeRefused();
    }

    @Test
    void anUploadThroughASymbolicLinkedDirectoryIsRefused() throws Exception {
        Files.createSymbolicLink(root.resolve("tree"), outside);
        Path src = Files.createDirectories(tmp.resolve("src/tree"));
        Files.writeString(src.resolve("planted.txt"), "planted");
        TransferException e = assertThrows(TransferException.class, () -> node.send(SETTINGS, List.of(src)));
        assertEquals(TransferError.REFUSED, e.error(), e.getMessage());
        assertFalse(Files.exists(outside.resolve("planted.txt")));
    }

    @Test
    void aDownloadOntoALocalSymbolicLinkIsRefused() throws Exception {
        Files.createDirectories(downloads);
        Files.createSymbolicLink(downloads.resolve("ok.bin"), outside.resolve("secret.txt"));
        TransferException e = assertThrows(TransferException.class, () -> node.get(SETTINGS, List.of("public/ok.bin"), downloads));
        assertEquals(TransferError.REFUSED, e.error(), e.getMessage());
        assertTrue(Files.isSymbolicLink(downloads.resolve("ok.bin")));
    }

    @Test
    void anUploadOnlyTicketCannotDownload() throws Exception {
        TransferException e = assertThrows(TransferException.class,
                () -> node.get(SETTINGS, node.ticket(Direction.UPLOAD), List.of("public/ok.bin"), downloads));
        assertEquals(TransferError.REFUSED, e.error(), e.getMessage());
        assertTrue(e.getMessage().contains("does not allow downloads"), e.getMessage());
        assertNothingDownloaded();
        assertNodeRefused();
    }

    @Test
    void aDownloadOnlyTicketCannotUpload() throws Exception {
        Path src = Files.createDirectory(tmp.resolve("src"));
        Path file = Files.writeString(src.resolve("new.txt"), "new");
        TransferException e = assertThrows(TransferException.class,
                () -> node.send(SETTINGS, node.address(), node.ticket(Direction.DOWNLOAD), List.of(file)));
        assertEquals(TransferError.REFUSED, e.error(), e.getMessage());
        assertFalse(Files.exists(root.resolve("new.txt")));
    }

    @Test
    void aScopedTicketCannotReachOutsideItsScope() throws Exception {
        Files.createDirectories(root.resolve("team-a"));
        var ticket = node.sealer().issue(LoopbackNode.TICKET_LIFETIME, Direction.DOWNLOAD, "team-a");
        TransferException e = assertThrows(TransferException.class, () -> node.get(SETTINGS, ticket, List.of("../public/ok.bin"), downloads));
        assertEquals(TransferError.REFUSED, e.error());
        var missing = node.sealer().issue(LoopbackNode.TICKET_LIFETIME, Direction.DOWNLOAD, "public");
        // Inside its scope the same name resolves under the scope, not the root.
        TransferException absent = assertThrows(TransferException.class, () -> node.get(SETTINGS, missing, List.of("public/ok.bin"), downloads));
        assertEquals(TransferError.REFUSED, absent.error());
        assertNothingDownloaded();
    }

    /** The node's directory may itself be reached through a link (/data -> /mnt/disk1): that is not an escape. */
    @Test
    void aNodeRootThatIsASymbolicLinkStillReceives() throws Exception {
        node.close();
        Path linkedRoot = Files.createSymbolicLink(tmp.resolve("root-link"), root);
        node = LoopbackNode.start(linkedRoot, SETTINGS);
        Path src = Files.createDirectory(tmp.resolve("src"));
        Path file = TestFiles.randomFile(src.resolve("top-level.bin"), 5000, 2);
        node.send(SETTINGS, List.of(file));
        assertEquals(TestFiles.sha256(file), TestFiles.sha256(root.resolve("top-level.bin")));
        TransferNode.SessionOutcome outcome = node.nextOutcome(Duration.ofSeconds(5));
        assertNotNull(outcome);
        assertNull(outcome.failure());
    }
}
