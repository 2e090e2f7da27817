package io.skyhaul.transport.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skyhaul.testing.TestFiles;
import io.skyhaul.transport.files.ReceiveTap;
import io.skyhaul.transport.ticket.Direction;
import io.skyhaul.transport.ticket.PreSharedKey;
import io.skyhaul.transport.ticket.SessionTicket;
import io.skyhaul.transport.ticket.TicketSealer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression: when everything has arrived but the node's verifier is still busy (here a tap that
 * stands for a slow storage upload), neither side may time the other out: the wait is the
 * node's own, and it keeps the sender informed. Before the fix the node failed the session with
 * "the sender has been silent" once its idle timeout passed.
 */
class SlowVerifierTest {
    @TempDir
    Path tmp;

    @Test
    @Timeout(60)
    void aVerifierSlowerThanTheIdleTimeoutDoesNotFailTheSession() throws Exception {
        Duration idle = Duration.ofSeconds(1);
        TransportSettings settings = TransportSettings.defaults().withIdleTimeout(idle);
        AtomicInteger hashed = new AtomicInteger();
        ReceiveTap slow = new ReceiveTap() {
            @Override
            public void fileHashed(int file, byte[] sha256) {
                try {
                    Thread.sleep(3 * idle.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                hashed.incrementAndGet();
            }
        };
        PreSharedKey psk = PreSharedKey.generate(new SecureRandom());
        TicketSealer sealer = new TicketSealer(psk, new SecureRandom(), Clock.systemUTC());
        Path root = Files.createDirectories(tmp.resolve("node"));
        Path file = TestFiles.randomFile(tmp.resolve("src/a.bin"), 2 << 20, 7);
        try (TransferNode node = TransferNode.start(new InetSocketAddress("127.0.0.1", 0), root, sealer, settings, scope -> slow)) {
            SessionTicket ticket = sealer.issue(Duration.ofMinutes(5), Direction.UPLOAD, "");
            TransferReport report = new TransferClient(settings).send(node.localAddress(), ticket, sealer.seal(ticket), List.of(file),
                    ProgressListener.NONE);
            assertEquals(1, report.files());
            assertEquals(1, hashed.get(), "the tap saw the whole file");
            assertEquals(TestFiles.sha256(file), TestFiles.sha256(root.resolve("a.bin")));
            assertTrue(report.seconds() >= 3 * idle.toSeconds(), "the session really waited for the verifier: " + report.seconds());
        }
    }
}
