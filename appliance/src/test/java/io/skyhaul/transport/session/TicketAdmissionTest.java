package io.skyhaul.transport.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skyhaul.testing.LoopbackNode;
import io.skyhaul.testing.TestFiles;
import io.skyhaul.transport.ticket.Direction;
import io.skyhaul.transport.ticket.PreSharedKey;
import io.skyhaul.transport.ticket.SessionTicket;
import io.skyhaul.transport.ticket.TicketSealer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node admits a session only for a ticket sealed under its key, unexpired, used once. To
 * anyone else it says nothing at all, so the client sees NO_ANSWER after its handshake timeout.
 */
@Timeout(20)
class TicketAdmissionTest {
    private static final TransportSettings SETTINGS = LoopbackTransferTest.SETTINGS.withHandshakeTimeout(Duration.ofSeconds(1));

    @TempDir
    Path tmp;
    Path file;
    Path root;
    LoopbackNode node;

    @BeforeEach
    void start() throws Exception {
        root = Files.createDirectory(tmp.resolve("root"));
        file = TestFiles.randomFile(tmp.resolve("src/f.bin"), 10_000, 1);
        node = LoopbackNode.start(root, SETTINGS);
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private void assertNoAnswer(SessionTicket ticket, byte[] sealed) throws Exception {
        long start = System.nanoTime();
        TransferException e = assertThrows(TransferException.class,
                () -> new TransferClient(SETTINGS).send(node.address(), ticket, sealed, List.of(file), ProgressListener.NONE));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(TransferError.NO_ANSWER, e.error(), e.getMessage());
        assertTrue(e.getMessage().contains("key file"), e.getMessage());
        assertTrue(seconds >= 0.9 && seconds < 5, "failed after the 1 s handshake timeout, not " + seconds + " s");
        assertTrue(node.node().counters().badTicket.sum() >= 1, node.node().counters().toString());
        assertEquals(0, node.node().counters().forged.sum(), "nothing got as far as packet authentication");
        assertTrue(TestFiles.snapshot(root).isEmpty(), "nothing was written");
    }

    @Test
    void aTicketSealedUnderAnotherKeyGetsNoAnswer() throws Exception {
        TicketSealer stranger = new TicketSealer(PreSharedKey.generate(new SecureRandom()), new SecureRandom(), Clock.systemUTC());
        SessionTicket ticket = stranger.issue(Duration.ofMinutes(5), Direction.UPLOAD, "");
        assertNoAnswer(ticket, stranger.seal(ticket));
    }

    @Test
    void anExpiredTicketGetsNoAnswer() throws Exception {
        TicketSealer past = new TicketSealer(node.psk(), new SecureRandom(), Clock.fixed(Instant.now().minusSeconds(3600), ZoneOffset.UTC));
        SessionTicket ticket = past.issue(Duration.ofMinutes(5), Direction.UPLOAD, "");
        assertNoAnswer(ticket, past.seal(ticket));
    }

    @Test
    void aTicketAdmitsOneSessionOnly() throws Exception {
        SessionTicket ticket = node.ticket(Direction.UPLOAD);
        byte[] sealed = node.sealer().seal(ticket);
        new TransferClient(SETTINGS).send(node.address(), ticket, sealed, List.of(file), ProgressListener.NONE);
        assertEquals(TestFiles.sha256(file), TestFiles.sha256(root.resolve("f.bin")));
        Files.delete(root.resolve("f.bin"));
        assertNoAnswer(ticket, sealed);
    }

    @Test
    void aTicketWhoseConnectionIdDoesNotMatchTheHeaderIsRefused() throws Exception {
        // The sealed ticket of one session presented under another session's connection id.
        SessionTicket real = node.ticket(Direction.UPLOAD);
        SessionTicket other = node.ticket(Direction.UPLOAD);
        assertNoAnswer(other, node.sealer().seal(real));
    }
}
