package io.skyhaul.transport.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skyhaul.testing.LogCapture;
import io.skyhaul.testing.LoopbackNode;
import io.skyhaul.testing.TestFiles;
import io.skyhaul.testing.UdpRelay;
import io.skyhaul.transport.ticket.Direction;
import io.skyhaul.transport.ticket.PreSharedKey;
import io.skyhaul.transport.ticket.SessionTicket;
import io.skyhaul.transport.ticket.TicketSealer;
import io.skyhaul.transport.wire.PacketType;
import io.skyhaul.transport.wire.Wire;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rule: a datagram that is forged, replayed, truncated, oversized or sealed under another key is
 * dropped and counted, and disturbs no session. Hostile datagrams arrive at a running node while
 * a real upload passes through a relay of ours; the upload must end byte-identical.
 */
@Timeout(60)
class HostileDatagramTest {
    /** What a hostile datagram should be counted as on the node. */
    private enum Drop { FORGED, REPLAYED, MALFORMED, OVERSIZED, BAD_TICKET, WRONG_ADDRESS, UNKNOWN_SESSION }

    private static final TransportSettings SETTINGS = TransportSettings.defaults().withMaxRate(5e6)
            .withIdleTimeout(Duration.ofSeconds(10)).withHandshakeTimeout(Duration.ofSeconds(5));

    @TempDir
    Path tmp;
    Path root;
    LoopbackNode node;
    LogCapture log;
    final Map<Drop, AtomicLong> injected = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws Exception {
        root = Files.createDirectory(tmp.resolve("root"));
        log = new LogCapture();
        node = LoopbackNode.start(root, SETTINGS);
        for (Drop d : Drop.values()) {
            injected.put(d, new AtomicLong());
        }
    }

    @AfterEach
    void stop() {
        node.close();
        log.close();
    }

    private void count(Drop d) {
        injected.get(d).incrementAndGet();
    }

    /**
     * On the session's own path (through the relay, so from the peer's address): corrupted copies
     * ahead of the genuine datagram, duplicates after it, stale replays, truncations, forgeries and
     * oversized datagrams.
     */
    private UdpRelay.Tap sessionPathAttacks(long connectionId) {
        SplittableRandom random = new SplittableRandom(42);
        AtomicReference<byte[]> early = new AtomicReference<>();
        return (index, datagram, link) -> {
            if (index == 0 || index >= 5 && index % 97 == 0) {
                // A corrupted copy first: it must fail authentication without burning the packet number.
                link.toNode(CraftedDatagrams.corrupted(datagram));
                count(Drop.FORGED);
            }
            link.toNode(datagram);
            if (index == 5) {
                early.set(datagram);
            }
            if (index >= 5 && index % 89 == 0) {
                link.toNode(datagram);
                count(Drop.REPLAYED);
            }
            if (index > 5 && index % 113 == 0) {
                link.toNode(early.get());
                count(Drop.REPLAYED);
            }
            if (index >= 5 && index % 101 == 0) {
                link.toNode(CraftedDatagrams.truncated(datagram, Wire.HEADER_LENGTH + 2));
                count(Drop.MALFORMED);
            }
            if (index >= 5 && index % 107 == 0) {
                link.toNode(CraftedDatagrams.forged(random, PacketType.DATA, connectionId, (1L << 40) + index, 1200));
                link.toNode(CraftedDatagrams.forged(random, PacketType.FEEDBACK, connectionId, (1L << 41) + index, 300));
                count(Drop.FORGED);
                count(Drop.FORGED);
            }
            if (index >= 5 && index % 109 == 0) {
                link.toNode(CraftedDatagrams.forged(random, PacketType.DATA, connectionId, (1L << 42) + index, 9001 + (int) (index % 200)));
                count(Drop.OVERSIZED);
            }
        };
    }

    /** From a stranger's socket, directly at the node: one of each kind. */
    private void strangerRound(DatagramSocket stranger, SplittableRandom random, long connectionId, byte[] wrongKeyHello, byte[] realHello)
            throws Exception {
        InetSocketAddress to = node.address();
        send(stranger, to, wrongKeyHello);
        count(Drop.BAD_TICKET);
        send(stranger, to, CraftedDatagrams.truncated(wrongKeyHello, 600));
        count(Drop.MALFORMED);
        send(stranger, to, CraftedDatagrams.forged(random, PacketType.DATA, connectionId, random.nextLong(1L << 50), 1400));
        count(Drop.WRONG_ADDRESS);
        send(stranger, to, realHello);
        count(Drop.WRONG_ADDRESS);
        send(stranger, to, CraftedDatagrams.forged(random, PacketType.DATA, random.nextLong(), 7, 1400));
        count(Drop.UNKNOWN_SESSION);
        byte[] noise = new byte[random.nextInt(1, Wire.HEADER_LENGTH + 16)];
        random.nextBytes(noise);
        send(stranger, to, noise);
        count(Drop.MALFORMED);
        byte[] wrongVersion = CraftedDatagrams.forged(random, PacketType.DATA, connectionId, 9, 200);
        wrongVersion[0] = (byte) (Wire.VERSION + 1);
        send(stranger, to, wrongVersion);
        count(Drop.MALFORMED);
        byte[] unknownType = CraftedDatagrams.forged(random, PacketType.DATA, connectionId, 9, 200);
        unknownType[Wire.OFFSET_TYPE] = 15;
        send(stranger, to, unknownType);
        count(Drop.MALFORMED);
        send(stranger, to, new byte[random.nextInt(Wire.MAX_DATAGRAM + 1, 30_000)]);
        count(Drop.OVERSIZED);
    }

    private static void send(DatagramSocket socket, InetSocketAddress to, byte[] datagram) throws Exception {
        socket.send(new DatagramPacket(datagram, datagram.length, to));
    }

    @Test
    void hostileDatagramsAreCountedAndTheTransferStillCompletes() throws Exception {
        Path file = TestFiles.randomFile(tmp.resolve("src/payload.bin"), 6_000_000, 7);
        SessionTicket ticket = node.ticket(Direction.UPLOAD);
        byte[] sealed = node.sealer().seal(ticket);
        TicketSealer stranger = new TicketSealer(PreSharedKey.generate(new SecureRandom()), new SecureRandom(), Clock.systemUTC());
        SessionTicket strangerTicket = stranger.issue(Duration.ofMinutes(5), Direction.UPLOAD, "");
        byte[] wrongKeyHello = CraftedDatagrams.hello(strangerTicket, stranger.seal(strangerTicket), 0, Direction.UPLOAD, List.of());
        byte[] realHelloCopy = CraftedDatagrams.hello(ticket, sealed, 0, Direction.UPLOAD, List.of());

        try (UdpRelay relay = new UdpRelay(node.address(), sessionPathAttacks(ticket.connectionId()));
                DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            CompletableFuture<TransferReport> upload = CompletableFuture.supplyAsync(() -> {
                try {
                    return new TransferClient(SETTINGS).send(relay.address(), ticket, sealed, List.of(file), ProgressListener.NONE);
                } catch (TransferException e) {
                    throw new IllegalStateException(e.error() + ": " + e.getMessage(), e);
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (relay.datagramsFromClient() < 10 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            SplittableRandom random = new SplittableRandom(9);
            for (int round = 0; round < 300 && !upload.isDone(); round++) {
                strangerRound(socket, random, ticket.connectionId(), wrongKeyHello, realHelloCopy);
                Thread.sleep(10);
            }
            TransferReport report = upload.get(40, TimeUnit.SECONDS);
            assertEquals(6_000_000, report.bytes());
            assertNull(relay.failure());
        }
        assertEquals(TestFiles.sha256(file), TestFiles.sha256(root.resolve("payload.bin")), "byte-identical despite the attacks");
        TransferNode.SessionOutcome outcome = node.nextOutcome(Duration.ofSeconds(5));
        assertNotNull(outcome);
        assertNull(outcome.failure());

        TransportCounters c = node.node().counters();
        Map<Drop, Long> seen = new EnumMap<>(Map.of(Drop.FORGED, c.forged.sum(), Drop.REPLAYED, c.replayed.sum(), Drop.MALFORMED,
                c.malformed.sum(), Drop.OVERSIZED, c.oversized.sum(), Drop.BAD_TICKET, c.badTicket.sum(), Drop.WRONG_ADDRESS,
                c.wrongAddress.sum(), Drop.UNKNOWN_SESSION, c.unknownSession.sum()));
        System.err.println("hostile datagrams injected " + injected + ", node counted " + seen);
        for (Drop d : Drop.values()) {
            assertTrue(injected.get(d).get() > 0 && seen.get(d) >= 1, d + ": injected " + injected.get(d) + ", node counted " + seen.get(d) + "; " + c);
        }
        // UDP may lose some of what we sent, but the node never invents drops. Near the session's end a
        // datagram aimed at it may instead find it gone (unknownSession) or retired (a HELLO: badTicket).
        for (Drop d : List.of(Drop.FORGED, Drop.REPLAYED, Drop.MALFORMED, Drop.OVERSIZED)) {
            assertTrue(seen.get(d) <= injected.get(d).get(), d + ": injected " + injected.get(d) + ", node counted " + seen.get(d));
        }
        assertTrue(seen.get(Drop.BAD_TICKET) <= injected.get(Drop.BAD_TICKET).get() + injected.get(Drop.WRONG_ADDRESS).get(), c.toString());
        long totalInjected = injected.values().stream().mapToLong(AtomicLong::get).sum();
        // A late CLOSE from the client after the node ended the session also counts as unknownSession.
        assertTrue(c.totalDropped() <= totalInjected + 3, "counted " + c.totalDropped() + " drops for " + totalInjected + " injected");
        assertEquals(List.of(), log.problems(), "no errors logged, no exception reached the end of a Netty pipeline");

        // The node is still in service.
        Path after = TestFiles.randomFile(tmp.resolve("src/after.bin"), 100_000, 8);
        node.send(SETTINGS, List.of(after));
        assertEquals(TestFiles.sha256(after), TestFiles.sha256(root.resolve("after.bin")));
    }

    /**
     * Until the client proves its address (CONFIRM), the node sends no more bytes to an address
     * than it received from it: a HELLO from a socket that never confirms (the victim of a spoofed
     * or replayed HELLO) gets back at most what it sent, even after the session times out.
     */
    @Test
    void anUnconfirmedAddressNeverReceivesMoreThanItSent() throws Exception {
        node.close();
        node = LoopbackNode.start(root, SETTINGS.withIdleTimeout(Duration.ofSeconds(1)));
        TestFiles.randomFile(root.resolve("big.bin"), 2_000_000, 3);
        for (Direction direction : new Direction[] {Direction.UPLOAD, Direction.DOWNLOAD}) {
            SessionTicket ticket = node.ticket(Direction.BOTH);
            byte[] sealed = node.sealer().seal(ticket);
            List<String> paths = direction == Direction.DOWNLOAD ? List.of("big.bin") : List.of();
            long sent = 0;
            long received = 0;
            int datagramsBack = 0;
            try (DatagramSocket victim = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                victim.setSoTimeout(50);
                byte[] buffer = new byte[65_535];
                long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2500);
                for (int pn = 0; System.nanoTime() < end; ) {
                    if (pn < 3) {
                        byte[] hello = CraftedDatagrams.hello(ticket, sealed, pn++, direction, paths);
                        send(victim, node.address(), hello);
                        sent += hello.length;
                    }
                    DatagramPacket in = new DatagramPacket(buffer, buffer.length);
                    try {
                        victim.receive(in);
                        received += in.getLength();
                        datagramsBack++;
                    } catch (java.net.SocketTimeoutException e) {
                        // Keep listening until the end.
                    }
                }
            }
            assertTrue(datagramsBack >= 1, direction + ": the HELLO was valid, so the node answered it");
            assertTrue(received <= sent, direction + ": received " + received + " bytes for " + sent + " sent");
        }
    }

    @Test
    void anUnconfirmedUploadSessionIsEndedByTheIdleTimeout() throws Exception {
        assertUnconfirmedSessionEnds(Direction.UPLOAD);
    }

    /** A client that sent HELLO and died (or a replayed HELLO) must not hold a session on the node forever. */
    @Test
    void anUnconfirmedDownloadSessionIsEndedByTheIdleTimeout() throws Exception {
        assertUnconfirmedSessionEnds(Direction.DOWNLOAD);
    }

    private void assertUnconfirmedSessionEnds(Direction direction) throws Exception {
        node.close();
        node = LoopbackNode.start(root, SETTINGS.withIdleTimeout(Duration.ofSeconds(1)));
        TestFiles.randomFile(root.resolve("big.bin"), 100_000, 3);
        SessionTicket ticket = node.ticket(direction);
        byte[] hello = CraftedDatagrams.hello(ticket, node.sealer().seal(ticket), 0, direction,
                direction == Direction.DOWNLOAD ? List.of("big.bin") : List.of());
        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            send(client, node.address(), hello);
            TransferNode.SessionOutcome outcome = node.nextOutcome(Duration.ofSeconds(4));
            assertNotNull(outcome, direction + ": the node ended the unconfirmed session");
            assertNotNull(outcome.failure());
            assertEquals(TransferError.PEER_SILENT, outcome.failure().error(), outcome.failure().getMessage());
        }
    }
}
