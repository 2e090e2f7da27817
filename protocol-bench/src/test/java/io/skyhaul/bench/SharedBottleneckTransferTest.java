package io.skyhaul.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.skyhaul.linkem.LinkProfile;
import io.skyhaul.transport.session.TransferClient;
import io.skyhaul.transport.session.TransferNode;
import io.skyhaul.transport.session.TransferReport;
import io.skyhaul.transport.session.TransportSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Two uploads at once through one relay share its bottleneck and queue; both must complete intact. */
@ExtendWith(NettyLeakCheck.class)
class SharedBottleneckTransferTest {
    private static final long FILE_SIZE = 4L << 20;

    @TempDir
    Path tmp;

    @Test
    @Timeout(60)
    void twoSessionsThroughOneRelayBothComplete() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        PayloadFile a = PayloadFile.create(src.resolve("a.bin"), FILE_SIZE, 1);
        PayloadFile b = PayloadFile.create(src.resolve("b.bin"), FILE_SIZE, 2);
        LinkProfile link = LinkProfile.builder().delayMillis(10).lossProbability(0.01).rateBitsPerSecond(100_000_000).seed(14).build();
        TransportSettings settings = TransportSettings.defaults();
        ExecutorService clients = Executors.newFixedThreadPool(2);
        try (NodeBehindRelay env = new NodeBehindRelay(tmp.resolve("node"), link, settings)) {
            CompletableFuture<Void> go = new CompletableFuture<>();
            Future<TransferReport> ra = clients.submit(() -> {
                go.join();
                return env.send(env.relay().listenAddress(), List.of(a.path()), new TransferClient(settings));
            });
            Future<TransferReport> rb = clients.submit(() -> {
                go.join();
                return env.send(env.relay().listenAddress(), List.of(b.path()), new TransferClient(settings));
            });
            go.complete(null);

            assertEquals(FILE_SIZE, ra.get().bytes());
            assertEquals(FILE_SIZE, rb.get().bytes());
            assertEquals(a.sha256(), PayloadFile.sha256Of(env.root().resolve("a.bin")));
            assertEquals(b.sha256(), PayloadFile.sha256Of(env.root().resolve("b.bin")));
            assertEquals(2, env.relay().clientCount(), "the relay saw two clients");
            List<TransferNode.SessionOutcome> ended = env.awaitOutcomes(2, Duration.ofSeconds(10));
            assertEquals(2, ended.size(), "sessions that ended at the node");
            ended.forEach(o -> assertNull(o.failure(), o.sessionId()));
            LossyLinkTransferTest.assertOnlyLinkArtefacts(env.nodeCounters(), env.relay().stats().forward(), "node");
        } finally {
            clients.shutdownNow();
        }
    }
}
