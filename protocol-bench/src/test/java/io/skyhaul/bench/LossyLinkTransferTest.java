package io.skyhaul.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skyhaul.linkem.DirectionStats;
import io.skyhaul.linkem.GilbertElliottLoss;
import io.skyhaul.linkem.LinkProfile;
import io.skyhaul.transport.session.TransferClient;
import io.skyhaul.transport.session.TransferNode;
import io.skyhaul.transport.session.TransferReport;
import io.skyhaul.transport.session.TransportCounters;
import io.skyhaul.transport.session.TransportSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A multi-file upload through an impaired link arrives byte-identical, and the endpoints' drop
 * counters show only what the link itself did (duplicates, stragglers after the session ended),
 * never a forged, malformed or misrouted datagram.
 */
@ExtendWith(NettyLeakCheck.class)
class LossyLinkTransferTest {
    private static final long LINK_RATE = 100_000_000;

    @TempDir
    Path tmp;

    @Test
    @Timeout(60)
    void treeArrivesIntactThroughRandomLossReorderingAndDuplication() throws Exception {
        LinkProfile link = LinkProfile.builder().delayMillis(5).rateBitsPerSecond(LINK_RATE).lossProbability(0.05)
                .reorderProbability(0.03).duplicateProbability(0.03).seed(11).build();
        DirectionStats forward = uploadTreeThrough(link);
        assertTrue(forward.duplicated() > 0 && forward.reordered() > 0, "the link duplicated and reordered: " + forward.summary());
    }

    @Test
    @Timeout(60)
    void treeArrivesIntactThroughBurstLoss() throws Exception {
        // Mean burst 1 / 0.2 = 5 packets, long-run loss 0.01 / 0.21 ≈ 4.8%.
        LinkProfile link = LinkProfile.builder().delayMillis(5).rateBitsPerSecond(LINK_RATE)
                .burstLoss(new GilbertElliottLoss.Parameters(0.01, 0.2, 1.0, 0)).seed(12).build();
        uploadTreeThrough(link);
    }

    /** Uploads a fresh tree through {@code link}, checks the copy and the counters, returns the forward direction's stats. */
    private DirectionStats uploadTreeThrough(LinkProfile link) throws Exception {
        SourceTree tree = SourceTree.create(tmp.resolve("src").resolve("tree"), 7);
        TransportSettings settings = TransportSettings.defaults();
        TransferClient client = new TransferClient(settings);
        try (NodeBehindRelay env = new NodeBehindRelay(tmp.resolve("node"), link, settings)) {
            TransferReport report = env.send(env.relay().listenAddress(), List.of(tree.root()), client);

            tree.assertCopiedTo(env.root().resolve("tree"));
            assertEquals(tree.files(), report.files(), "files");
            assertEquals(tree.fileBytes(), report.bytes(), "bytes");
            assertTrue(report.retransmittedBytes() > 0 && report.retransmittedBytes() < report.bytes() / 2,
                    "lost bytes were sent again, and not everything twice: " + report.retransmittedBytes());
            List<TransferNode.SessionOutcome> ended = env.awaitOutcomes(1, Duration.ofSeconds(10));
            assertEquals(1, ended.size(), "sessions that ended at the node");
            assertNull(ended.get(0).failure(), "the node's view of the session");
            assertNoPartialFiles(env.root());

            DirectionStats forward = env.relay().stats().forward();
            DirectionStats reverse = env.relay().stats().reverse();
            assertTrue(forward.droppedLoss() > 0 && reverse.droppedLoss() > 0, "the link lost packets both ways: " + forward.summary());
            assertOnlyLinkArtefacts(env.nodeCounters(), forward, "node");
            assertOnlyLinkArtefacts(client.counters(), reverse, "client");
            return forward;
        }
    }

    /**
     * Nothing forged, malformed, oversized or from a stranger; repeated packet numbers and packets
     * for an ended session at most as many as the link duplicated or delayed.
     */
    static void assertOnlyLinkArtefacts(TransportCounters c, DirectionStats arriving, String side) {
        String all = side + " " + c + " after " + arriving.summary();
        assertEquals(0, c.forged.sum(), all);
        assertEquals(0, c.malformed.sum(), all);
        assertEquals(0, c.oversized.sum(), all);
        assertEquals(0, c.badTicket.sum(), all);
        assertEquals(0, c.wrongAddress.sum(), all);
        assertTrue(c.replayed.sum() + c.unknownSession.sum() <= arriving.duplicated() + arriving.reordered(), all);
    }

    static void assertNoPartialFiles(Path root) throws Exception {
        try (Stream<Path> all = Files.walk(root)) {
            List<Path> partial = all.filter(p -> p.getFileName().toString().endsWith(".part")).toList();
            assertTrue(partial.isEmpty(), "partial files left behind: " + partial);
        }
    }
}
