package io.skyhaul.transport.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skyhaul.testing.LoopbackNode;
import io.skyhaul.testing.TestFiles;
import io.skyhaul.testing.UdpRelay;
import io.skyhaul.transport.files.TransferSink;
import io.skyhaul.transport.ticket.Direction;
import io.skyhaul.transport.ticket.PreSharedKey;
import io.skyhaul.transport.ticket.SessionTicket;
import io.skyhaul.transport.ticket.TicketSealer;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A peer that dies or never was: every wait is bounded by a timeout, and the failure says what to do. */
@Timeout(30)
class DeadPeerTest {
    private static final Duration IDLE = Duration.ofSeconds(2);
    /** At most 5 MB/s (about 2 MB/s in practice on loopback): an 8 MB file takes seconds, long enough to interrupt. */
    private static final TransportSettings SLOW = TransportSettings.defaults().withMaxRate(5e6).withIdleTimeout(IDLE)
            .withHandshakeTimeout(Duration.ofSeconds(2));
    private static final long FILE_SIZE = 8_000_000;

    @TempDir
    Path tmp;

    /**
     * A node that dies without a word (its host gone, or SIGKILL): here the only path to it, a
     * relay, disappears mid-transfer. A node that shuts down cleanly tells its clients instead,
     * see {@link #closingANodeTellsItsClients}.
     */
    @Test
    void aNodeThatDiesMidTransferMakesTheClientFailWithPeerSilent() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("root"));
        Path file = TestFiles.randomFile(tmp.resolve("src/big.bin"), FILE_SIZE, 1);
        LoopbackNode node = LoopbackNode.start(root, SLOW);
        UdpRelay path = new UdpRelay(node.address(), UdpRelay.FORWARD);
        AtomicLong closedAt = new AtomicLong();
        AtomicBoolean closing = new AtomicBoolean();
        ProgressListener cutPathMidway = (done, total, rate) -> {
            if (done > 2_000_000 && closing.compareAndSet(false, true)) {
                closedAt.set(System.nanoTime());
                path.close();
            }
        };
        try {
            SessionTicket ticket = node.ticket(Direction.UPLOAD);
            TransferException e = assertThrows(TransferException.class,
                    () -> new TransferClient(SLOW).send(path.address(), ticket, node.sealer().seal(ticket), List.of(file), cutPathMidway));
            long failedAt = System.nanoTime();
            assertEquals(TransferError.PEER_SILENT, e.error(), e.getMessage());
            assertTrue(e.getMessage().contains("silent for 2 s") && e.getMessage().contains("resume"), e.getMessage());
            assertTrue(closedAt.get() > 0, "the path to the node was cut mid-transfer");
            double afterCut = (failedAt - closedAt.get()) / 1e9;
            assertTrue(afterCut > 1.5 && afterCut < 6, "failed " + afterCut + " s after the node went silent, expected about the 2 s idle timeout");
        } finally {
            path.close();
            node.close();
        }
    }

    /** A node that shuts down cleanly ends its sessions and tells each client why, at once. */
    @Test
    void closingANodeTellsItsClients() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("root"));
        Path file = TestFiles.randomFile(tmp.resolve("src/big.bin"), FILE_SIZE, 2);
        LoopbackNode node = LoopbackNode.start(root, SLOW);
        AtomicLong closedAt = new AtomicLong();
        AtomicBoolean closing = new AtomicBoolean();
        ProgressListener closeNodeMidway = (done, total, rate) -> {
            if (done > 2_000_000 && closing.compareAndSet(false, true)) {
                // Close from another thread: this listener runs on the client's event loop.
                new Thread(() -> {
                    closedAt.set(System.nanoTime());
                    node.close();
                }, "test-close-node").start();
            }
        };
        try {
            SessionTicket ticket = node.ticket(Direction.UPLOAD);
            TransferException e = assertThrows(TransferException.class,
                    () -> new TransferClient(SLOW).send(node.address(), ticket, node.sealer().seal(ticket), List.of(file), closeNodeMidway));
            long failedAt = System.nanoTime();
            assertEquals(TransferError.CANCELLED, e.error(), e.getMessage());
            assertTrue(e.getMessage().contains("shutting down") && e.getMessage().contains("resume"), e.getMessage());
            assertTrue((failedAt - closedAt.get()) / 1e9 < 1.5, "the client learnt of the shutdown at once, not by its idle timeout");
        } finally {
            node.close();
        }
    }

    @Test
    void aClientAgainstAPortWhereNothingListensFailsWithNoAnswer() throws Exception {
        int port;
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            port = probe.getLocalPort();
        }
        TransferException e = assertNoAnswerFrom(new InetSocketAddress("127.0.0.1", port), strangerTicket());
        assertTrue(e.getMessage().contains("nothing listens") || e.getMessage().contains("no answer"), e.getMessage());
    }

    @Test
    void aClientAgainstASocketThatNeverAnswersFailsWithNoAnswer() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            TransferException e = assertNoAnswerFrom((InetSocketAddress) silent.getLocalSocketAddress(), strangerTicket());
            assertTrue(e.getMessage().contains("no answer") && e.getMessage().contains("within 2 s"), e.getMessage());
        }
    }

    private static SessionTicket strangerTicket() {
        return new TicketSealer(PreSharedKey.generate(new SecureRandom()), new SecureRandom(), Clock.systemUTC())
                .issue(Duration.ofMinutes(1), Direction.UPLOAD, "");
    }

    private TransferException assertNoAnswerFrom(InetSocketAddress address, SessionTicket ticket) throws Exception {
        Path file = TestFiles.randomFile(tmp.resolve("src/small.bin"), 1000, 2);
        long start = System.nanoTime();
        TransferException e = assertThrows(TransferException.class,
                () -> new TransferClient(SLOW).send(address, ticket, new byte[100], List.of(file), ProgressListener.NONE));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(TransferError.NO_ANSWER, e.error(), e.getMessage());
        assertTrue(e.getMessage().contains(String.valueOf(address.getPort())), "the message names the address: " + e.getMessage());
        assertTrue(seconds >= 1.9 && seconds < 5, "gave up after the 2 s handshake timeout, not " + seconds + " s");
        return e;
    }

    /**
     * The client vanishes mid-upload (the relay stops passing datagrams): the node ends the
     * session after its idle timeout and keeps what arrived; the next send of the same file, with
     * a new ticket, sends only the rest.
     */
    @Test
    void aClientThatVanishesLeavesAResumableTransferOnTheNode() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("root"));
        Path file = TestFiles.randomFile(tmp.resolve("src/big.bin"), FILE_SIZE, 3);
        try (LoopbackNode node = LoopbackNode.start(root, SLOW)) {
            AtomicBoolean cut = new AtomicBoolean();
            CountDownLatch halfway = new CountDownLatch(1);
            try (UdpRelay relay = new UdpRelay(node.address(), (index, datagram, link) -> {
                if (!cut.get()) {
                    link.toNode(datagram);
                }
            })) {
                ProgressListener cutMidway = (done, total, rate) -> {
                    if (done > 3_000_000) {
                        cut.set(true);
                        halfway.countDown();
                    }
                };
                SessionTicket ticket = node.ticket(Direction.UPLOAD);
                TransferException e = assertThrows(TransferException.class,
                        () -> new TransferClient(SLOW).send(relay.address(), ticket, node.sealer().seal(ticket), List.of(file), cutMidway));
                assertEquals(TransferError.PEER_SILENT, e.error(), e.getMessage());
                assertTrue(halfway.await(0, TimeUnit.SECONDS), "the link was cut mid-transfer");
            }
            TransferNode.SessionOutcome outcome = node.nextOutcome(Duration.ofSeconds(5));
            assertNotNull(outcome, "the node ended the abandoned session");
            assertNotNull(outcome.failure());
            assertEquals(TransferError.PEER_SILENT, outcome.failure().error());
            assertTrue(Files.isDirectory(root.resolve(TransferSink.STAGING_DIR)), "what arrived is kept for a resume");
            assertTrue(!Files.exists(root.resolve("big.bin")), "nothing half-written appears under its final name");

            TransferReport resumed = node.send(SLOW, List.of(file));
            assertEquals(TestFiles.sha256(file), TestFiles.sha256(root.resolve("big.bin")));
            assertTrue(resumed.resumedBytes() >= 1 << 20, "resumed at least one journal block: " + resumed.resumedBytes() + " bytes");
            assertTrue(resumed.sentBytes() < FILE_SIZE - resumed.resumedBytes() + 1_000_000,
                    "sent " + resumed.sentBytes() + " bytes, about the missing part only");
            assertTrue(!Files.exists(root.resolve(TransferSink.STAGING_DIR)), "the staging directory is gone after the commit");
        }
    }

    /** After close(), a node must not leave threads of its sessions running in the process. */
    @Test
    void closingANodeEndsTheThreadsOfItsSessions() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("root"));
        Path file = TestFiles.randomFile(tmp.resolve("src/big.bin"), FILE_SIZE, 4);
        Set<Thread> before = verifierThreads();
        LoopbackNode node = LoopbackNode.start(root, SLOW);
        Thread client = new Thread(() -> {
            try {
                node.send(SLOW, List.of(file));
            } catch (TransferException e) {
                // Expected: the node goes away under it.
            }
        }, "test-client");
        client.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(root.resolve(TransferSink.STAGING_DIR)) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(300);
        node.close();
        client.join(10_000);
        Thread.sleep(1000);
        Set<Thread> after = verifierThreads();
        after.removeAll(before);
        assertEquals(Set.of(), after.stream().map(Thread::getName).collect(Collectors.toSet()), "session threads alive after the node closed");
    }

    /** java.io.Closeable: "If the stream is already closed then invoking this method has no effect." */
    @Test
    void closingANodeTwiceIsHarmless() throws Exception {
        TransferNode node = LoopbackNode.start(Files.createDirectory(tmp.resolve("root")), SLOW).node();
        node.close();
        node.close();
    }

    private static Set<Thread> verifierThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && t.getName().startsWith("skyhaul-receive-verifier"))
                .collect(Collectors.toSet());
    }
}
