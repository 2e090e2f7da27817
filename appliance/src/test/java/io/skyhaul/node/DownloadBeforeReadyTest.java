package io.skyhaul.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skyhaul.storage.LocalAccount;
import io.skyhaul.storage.ObjectInfo;
import io.skyhaul.storage.ObjectStore;
import io.skyhaul.storage.ObjectStores;
import io.skyhaul.storage.StoreSettings;
import io.skyhaul.storage.UploadOptions;
import io.skyhaul.testing.TestFiles;
import io.skyhaul.transport.session.ProgressListener;
import io.skyhaul.transport.session.TransferClient;
import io.skyhaul.transport.session.TransferException;
import io.skyhaul.transport.session.TransportSettings;
import io.skyhaul.transport.ticket.Direction;
import io.skyhaul.transport.ticket.SessionTicket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression: a download session opened while the node was still fetching the objects into the
 * spool could read a half-prepared spool. The node now stages them out of every ticket's scope
 * and refuses the session ("nothing to download") until all are there.
 */
@Timeout(60)
class DownloadBeforeReadyTest {
    @TempDir
    Path tmp;

    @Test
    void aDownloadSessionIsRefusedUntilTheSpoolIsPrepared() throws Exception {
        Path storage = tmp.resolve("storage");
        Files.createDirectories(storage.resolve("bucket"));
        Path source = TestFiles.randomFile(tmp.resolve("src/clip.mov"), 3_000_000, 21);
        String id = "0123456789abcdef";
        TransportSettings settings = TransportSettings.defaults().withIdleTimeout(Duration.ofSeconds(5));
        try (NodeAgent agent = NodeAgent.start(tmp.resolve("node"), new InetSocketAddress("127.0.0.1", 0), null, settings);
                ObjectStore store = ObjectStores.open(new LocalAccount(storage), "bucket", StoreSettings.defaults())) {
            store.putFile("out/clip.mov", source, null, UploadOptions.defaults(), n -> { });
            SessionTicket ticket = agent.sealer().issue(Duration.ofMinutes(5), Direction.DOWNLOAD, NodeAgent.scopeOf(id));
            byte[] sealed = agent.sealer().seal(ticket);
            AtomicReference<Throwable> early = new AtomicReference<>();
            AtomicReference<Boolean> spoolVisible = new AtomicReference<>(false);
            List<NodeAgent.PreparedFile> prepared = agent.prepareDownload(id, store, "out/",
                    List.of(new ObjectInfo("out/clip.mov", 3_000_000, null, null)), n -> {
                        if (early.get() == null) {
                            spoolVisible.set(Files.exists(agent.spool(id)));
                            early.set(assertThrows(TransferException.class, () -> new TransferClient(settings).get(agent.udpAddress(), ticket, sealed,
                                    List.of("clip.mov"), tmp.resolve("early"), ProgressListener.NONE)));
                        }
                    });
            assertFalse(spoolVisible.get(), "the spool is not in the ticket's scope while it is prepared");
            assertTrue(early.get().getMessage().contains("nothing to download"), early.get().toString());
            assertFalse(Files.exists(tmp.resolve("early/clip.mov")), "nothing was sent early");

            assertEquals(1, prepared.size());
            assertEquals(TestFiles.sha256(source), prepared.get(0).sha256());
            SessionTicket second = agent.sealer().issue(Duration.ofMinutes(5), Direction.DOWNLOAD, NodeAgent.scopeOf(id));
            new TransferClient(settings).get(agent.udpAddress(), second, agent.sealer().seal(second), List.of("clip.mov"), tmp.resolve("got"),
                    ProgressListener.NONE);
            assertEquals(TestFiles.sha256(source), TestFiles.sha256(tmp.resolve("got/clip.mov")));
            agent.discard(id);
            assertFalse(Files.exists(agent.spool(id)));
        }
    }
}
