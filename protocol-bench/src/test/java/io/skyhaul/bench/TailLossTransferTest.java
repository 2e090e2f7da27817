package io.skyhaul.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skyhaul.linkem.LinkProfile;
import io.skyhaul.transport.session.TransferClient;
import io.skyhaul.transport.session.TransferReport;
import io.skyhaul.transport.session.TransportSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tail loss on a long path: the last DATA datagram of an upload and its first retransmission are
 * lost on a 100 ms RTT link. No later packet arrives to reveal the loss, so only the probe timeout
 * can recover it; the transfer must still complete, intact, in a few round trips.
 */
@ExtendWith(NettyLeakCheck.class)
class TailLossTransferTest {
    private static final int FULL_PAYLOADS = 2000;

    @TempDir
    Path tmp;

    @Test
    @Timeout(60)
    void lostLastPacketAndItsRetransmissionAreRecoveredAt100msRtt() throws Exception {
        TransportSettings settings = TransportSettings.defaults();
        // Whole payloads and half of one more: the last DATA datagram is short.
        long fileSize = (long) settings.dataPayload() * FULL_PAYLOADS + settings.dataPayload() / 2;
        Path file = Files.createDirectories(tmp.resolve("src")).resolve("tail.bin");
        PayloadFile source = PayloadFile.create(file, fileSize, 3);
        LinkProfile link = LinkProfile.builder().delayMillis(50).rateBitsPerSecond(100_000_000).seed(13).build();
        try (NodeBehindRelay env = new NodeBehindRelay(tmp.resolve("node"), link, settings);
             TailDropProxy proxy = new TailDropProxy(env.relay().listenAddress(), settings.datagramSize(), 2)) {
            TransferReport report = env.send(proxy.address(), List.of(file), new TransferClient(settings));

            assertEquals(2, proxy.dropped(), "the tail packet and its first retransmission were dropped");
            assertEquals(source.sha256(), PayloadFile.sha256Of(env.root().resolve("tail.bin")), "received copy");
            assertEquals(fileSize, report.bytes());
            assertTrue(report.retransmittedBytes() > 0, "the tail was sent again");
            LossyLinkTransferTest.assertNoPartialFiles(env.root());
        }
    }
}
