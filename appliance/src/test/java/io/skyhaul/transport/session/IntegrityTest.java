package io.skyhaul.transport.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skyhaul.testing.LoopbackNode;
import io.skyhaul.testing.TestFiles;
import io.skyhaul.transport.files.TransferSink;
import io.skyhaul.transport.ticket.Direction;
import io.skyhaul.transport.ticket.SessionTicket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The receiver fails closed: what does not verify, or cannot be placed, is never committed. */
@Timeout(30)
class IntegrityTest {
    private static final TransportSettings SETTINGS = TransportSettings.defaults().withMaxRate(5e6).withIdleTimeout(Duration.ofSeconds(10));

    @TempDir
    Path tmp;
    Path root;
    Path src;
    LoopbackNode node;

    @BeforeEach
    void start() throws Exception {
        root = Files.createDirectory(tmp.resolve("root"));
        src = Files.createDirectory(tmp.resolve("src"));
        node = LoopbackNode.start(root, SETTINGS);
    }

    @AfterEach
    void stop() {
        node.close();
    }

    /** The source changes under the sender after it was hashed: the receiver's SHA-256 differs, and nothing is committed. */
    @Test
    void aFileChangedWhileBeingSentFailsWithDigestMismatch() throws Exception {
        Path file = TestFiles.randomFile(src.resolve("moving.bin"), 8_000_000, 1);
        AtomicBoolean changed = new AtomicBoolean();
        AtomicReference<Exception> changeFailure = new AtomicReference<>();
        ProgressListener changeTheTail = (done, total, rate) -> {
            if (done > 500_000 && changed.compareAndSet(false, true)) {
                // Same size, new bytes at the end: not sent yet, already hashed.
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    ch.write(ByteBuffer.wrap(new byte[100_000]), 7_900_000);
                } catch (Exception e) {
                    changeFailure.set(e);
                }
            }
        };
        SessionTicket ticket = node.ticket(Direction.UPLOAD);
        TransferException e = assertThrows(TransferException.class,
                () -> new TransferClient(SETTINGS).send(node.address(), ticket, node.sealer().seal(ticket), List.of(file), changeTheTail));
        assertTrue(changed.get());
        assertEquals(null, changeFailure.get());
        assertEquals(TransferError.DIGEST_MISMATCH, e.error(), e.getMessage());
        assertTrue(e.getMessage().contains("moving.bin"), e.getMessage());
        assertFalse(TestFiles.exists(root.resolve("moving.bin")), "a file that does not verify is not committed");
        assertFalse(TestFiles.exists(root.resolve(TransferSink.STAGING_DIR)), "its staging directory is deleted");
        TransferNode.SessionOutcome outcome = node.nextOutcome(Duration.ofSeconds(5));
        assertNotNull(outcome);
        assertEquals(TransferError.DIGEST_MISMATCH, outcome.failure().error());
    }

    /**
     * A file on the node where the upload needs a directory: refused when the manifest arrives,
     * before any file data moves, and none of the transfer's other files is committed.
     */
    @Test
    void aFileInTheWayOfADirectoryIsRefusedBeforeAnythingIsCommitted() throws Exception {
        Files.writeString(root.resolve("a"), "an existing file named a");
        Path first = TestFiles.randomFile(src.resolve("first.bin"), 1_000_000, 2);
        TestFiles.randomFile(src.resolve("a/b.bin"), 1_000_000, 3);
        TransferException e = assertThrows(TransferException.class, () -> node.send(SETTINGS, List.of(first, src.resolve("a"))));
        assertEquals(TransferError.REFUSED, e.error(), e.getMessage());
        assertTrue(e.getMessage().contains("a file of that name exists"), e.getMessage());
        assertEquals(Map.of("a", TestFiles.sha256(root.resolve("a"))), TestFiles.snapshot(root), "nothing of the refused transfer is in place");
    }

    @Test
    void aDirectoryInTheWayOfAFileIsRefused() throws Exception {
        Files.createDirectories(root.resolve("data.bin/inside"));
        Path file = TestFiles.randomFile(src.resolve("data.bin"), 1000, 4);
        TransferException e = assertThrows(TransferException.class, () -> node.send(SETTINGS, List.of(file)));
        assertEquals(TransferError.REFUSED, e.error(), e.getMessage());
        assertTrue(Files.isDirectory(root.resolve("data.bin/inside")));
    }
}
