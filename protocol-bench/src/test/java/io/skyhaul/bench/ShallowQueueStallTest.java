package io.skyhaul.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skyhaul.linkem.DirectionStats;
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
 * The 0 ms stalls: at 200 Mbit/s with no propagation delay the emulator's queue is its 64 KiB
 * floor, a quarter of the queue a session aims for, so drop-tail losses come in bursts. Every
 * such loss must be recovered from acknowledgements (a later packet acknowledged, or the loss
 * timer one loss delay after the lost packet was sent), never by waiting for the sender's probe
 * timeout. Before the fix a 512 MiB transfer here needed 29 probe timeouts of 30–45 ms each:
 * the receiver's event loop blocked in page faults on its writable file mapping, so no
 * acknowledgement came back while the window was full.
 *
 * <p>The assertion counts timeouts, not time, so a busy machine does not fail it; the bound
 * leaves room for a few scheduling hiccups of the test JVM (a probe timeout needs 25 ms and more
 * without any acknowledgement).
 */
@ExtendWith(NettyLeakCheck.class)
class ShallowQueueStallTest {
    private static final long FILE_BYTES = 256L << 20;
    private static final long MAX_PROBE_TIMEOUTS = 4;

    @TempDir
    Path tmp;

    @Test
    @Timeout(120)
    void burstLossesBehindA64KiBQueueAt0msAreRecoveredWithoutProbeTimeouts() throws Exception {
        TransportSettings settings = TransportSettings.defaults();
        Path file = Files.createDirectories(tmp.resolve("src")).resolve("big.bin");
        PayloadFile source = PayloadFile.create(file, FILE_BYTES, 21);
        LinkProfile link = LinkProfile.builder().delayMillis(0).rateBitsPerSecond(200_000_000).seed(21).build();
        assertEquals(64 * 1024, link.queueBytes(), "the emulator's queue floor");
        try (NodeBehindRelay env = new NodeBehindRelay(tmp.resolve("node"), link, settings)) {
            TransferReport report = env.send(env.relay().listenAddress(), List.of(file), new TransferClient(settings));

            DirectionStats forward = env.relay().stats().forward();
            assertEquals(source.sha256(), PayloadFile.sha256Of(env.root().resolve("big.bin")), "received copy");
            assertTrue(forward.droppedQueue() > 0 && report.retransmittedBytes() > 0,
                    "the shallow queue overflowed and the losses were sent again: " + forward.summary());
            assertTrue(report.probeTimeouts() <= MAX_PROBE_TIMEOUTS, report.probeTimeouts() + " probe timeouts for "
                    + forward.droppedQueue() + " datagrams dropped at the queue; " + report);
            LossyLinkTransferTest.assertNoPartialFiles(env.root());
        }
    }
}
