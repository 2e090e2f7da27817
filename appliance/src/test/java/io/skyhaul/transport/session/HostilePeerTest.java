package io.skyhaul.transport.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skyhaul.testing.LogCapture;
import io.skyhaul.testing.LoopbackNode;
import io.skyhaul.testing.TestFiles;
import io.skyhaul.transport.ticket.Direction;
import io.skyhaul.transport.ticket.SessionTicket;
import io.skyhaul.transport.wire.ErrorMessage;
import io.skyhaul.transport.wire.PacketType;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A peer that holds a valid ticket but sends nonsense inside authenticated packets: each bad
 * packet is dropped and counted as malformed, or the session is refused, and nothing escapes
 * the session's handling into Netty's pipeline.
 */
@Timeout(30)
class HostilePeerTest {
    @TempDir
    Path tmp;
    Path root;
    LoopbackNode node;
    LogCapture log;
    RawClient client;

    @BeforeEach
    void start() throws Exception {
        root = Files.createDirectory(tmp.resolve("root"));
        log = new LogCapture();
        node = LoopbackNode.start(root, LoopbackTransferTest.SETTINGS);
        SessionTicket ticket = node.ticket(Direction.UPLOAD);
        client = new RawClient(node.address(), ticket);
        client.handshake(node.sealer().seal(ticket), Direction.UPLOAD, List.of());
    }

    @AfterEach
    void stop() {
        client.close();
        node.close();
        log.close();
    }

    private void awaitMalformed(long atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (node.node().counters().malformed.sum() < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(node.node().counters().malformed.sum() >= atLeast, node.node().counters().toString());
    }

    private void assertNothingEscaped() {
        assertEquals(List.of(), log.lines(e -> e.getLoggerName().startsWith("io.netty") || e.getLevel().toInt() >= 40_000),
                "nothing reached the end of the pipeline");
    }

    @Test
    void dataWithoutBytesOrWithANegativeOffsetIsCountedAsMalformed() throws Exception {
        client.sendData(0, new byte[0]);
        client.sendData(-1400, new byte[100]);
        awaitMalformed(2);
        assertNothingEscaped();
    }

    @Test
    void aTruncatedErrorBodyIsCountedAsMalformed() throws Exception {
        // An ERROR whose body is cut short: its length field promises more than there is.
        client.send(PacketType.ERROR, new byte[] {1, 0, 50, 'x'});
        awaitMalformed(1);
        assertNothingEscaped();
    }

    @Test
    void aManifestLongerThanTheLimitIsRefused() throws Exception {
        client.sendData(0, ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).array());
        TransferNode.SessionOutcome outcome = node.nextOutcome(Duration.ofSeconds(5));
        assertNotNull(outcome);
        assertNotNull(outcome.failure());
        assertEquals(TransferError.REFUSED, outcome.failure().error(), outcome.failure().getMessage());
        byte[] error = client.receive(PacketType.ERROR, 2000);
        assertNotNull(error, "the client is told why");
        ErrorMessage m = ErrorMessage.read(ByteBuffer.wrap(error));
        assertEquals(TransferError.REFUSED.wireCode(), m.code());
        assertTrue(m.message().contains("manifest"), m.message());
        assertTrue(TestFiles.snapshot(root).isEmpty(), "nothing was written");
        assertNothingEscaped();
    }

    @Test
    void dataAtAnOffsetThatOverflowsIsCountedAsMalformed() throws Exception {
        client.sendData(Long.MAX_VALUE - 10, new byte[100]);
        awaitMalformed(1);
        assertNothingEscaped();
    }
}
