package io.skyhaul.node;

import io.skyhaul.storage.ObjectInfo;
import io.skyhaul.storage.ObjectStore;
import io.skyhaul.storage.ObjectStores;
import io.skyhaul.storage.StorageError;
import io.skyhaul.storage.StorageException;
import io.skyhaul.transport.session.TransferNode.SessionOutcome;
import java.io.Closeable;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's side of the transfer lifecycle, the same for the embedded node and a remote one:
 * takes the manager's {@link NodeTask}s, runs them with the {@link NodeAgent} (stream an upload
 * into storage, stage a download in the spool), and reports what happens through
 * {@link NodeReports}. Slow work (storage, aborts, deleting spools) runs on its own workers,
 * never on the transport's event loop that announces a session's end.
 */
public final class NodeWorker implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeWorker.class);
    /** After a good upload session, how long the store may take to commit the last objects. */
    static final long STORAGE_FINISH_SECONDS = 3600;

    /** What the node reports in its heartbeats. */
    public record Load(int sessions, long throughputBps, double cpuLoad) {
    }

    private final NodeAgent agent;
    private final NodeReports reports;
    private final Map<String, NodeTask> open = new ConcurrentHashMap<>();
    private final Map<String, Long> moved = new ConcurrentHashMap<>();
    private final AtomicLong bytesMoved = new AtomicLong();
    private final ExecutorService workers = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "skyhaul-node-worker");
        t.setDaemon(true);
        return t;
    });
    private long lastLoadBytes;
    private long lastLoadNanos = System.nanoTime();

    public NodeWorker(NodeAgent agent, NodeReports reports) {
        this.agent = agent;
        this.reports = reports;
        agent.onSessionEnded(this::sessionEnded);
    }

    /** Takes a task. An upload's stream is ready when this returns, so the client's session may start at once. */
    public void accept(NodeTask task) {
        if (task instanceof NodeTask.Upload u) {
            expectUpload(u);
        } else if (task instanceof NodeTask.Download d) {
            if (d.maxRate() != null) {
                agent.limitSendRate(d.transferId(), d.maxRate() / 8.0);
            }
            open.put(d.transferId(), d);
            reports.accepted(d.transferId());
            workers.submit(() -> prepare(d));
        } else if (task instanceof NodeTask.Release r) {
            if (open.remove(r.transferId()) != null) {
                LOG.info("transfer {}: released by the manager: {}", r.transferId(), r.reason());
            }
            workers.submit(() -> cleanUp(r.transferId(), r.reason()));
        }
    }

    private void expectUpload(NodeTask.Upload u) {
        ObjectStore store;
        try {
            store = ObjectStores.open(u.account(), u.bucket());
        } catch (StorageException e) {
            reports.failed(u.transferId(), e.error(), "cannot open " + u.bucket() + ": " + e.getMessage());
            return;
        } catch (RuntimeException e) {
            reports.failed(u.transferId(), StorageError.IO, "cannot open " + u.bucket() + ": " + e.getMessage());
            return;
        }
        open.put(u.transferId(), u);
        agent.expectUpload(u.transferId(), store, u.prefix(), u.overwrite(), u.files(), progress(u.transferId()));
        reports.accepted(u.transferId());
    }

    private LongConsumer progress(String transferId) {
        return n -> {
            Long before = moved.put(transferId, n);
            bytesMoved.addAndGet(n - (before == null ? 0 : before));
            reports.progress(transferId, n);
        };
    }

    private void prepare(NodeTask.Download d) {
        String id = d.transferId();
        try (ObjectStore store = ObjectStores.open(d.account(), d.bucket())) {
            List<NodeAgent.PreparedFile> files = agent.prepareDownload(id, store, d.prefix(), d.objects(), progress(id));
            if (open.containsKey(id)) {
                reports.prepared(id, files);
            } else {
                agent.discard(id);
            }
        } catch (StorageException e) {
            fail(id, e.error(), e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.warn("transfer {}: preparing the download failed: {}", id, e.toString());
            fail(id, StorageError.IO, "preparing the download failed: " + e.getMessage());
        }
    }

    private void sessionEnded(SessionOutcome outcome) {
        Optional<NodeTask> found = open.values().stream()
                .filter(t -> t instanceof NodeTask.Upload u ? u.sessionId().startsWith(outcome.sessionId())
                        : t instanceof NodeTask.Download d && d.sessionId().startsWith(outcome.sessionId()))
                .findFirst();
        if (found.isEmpty()) {
            LOG.warn("session {} ended but belongs to no transfer of this node", outcome.sessionId());
            return;
        }
        String id = found.get().transferId();
        reports.sessionEnded(id, NodeReports.SessionResult.of(outcome));
        if (found.get() instanceof NodeTask.Upload && outcome.failure() == null) {
            workers.submit(() -> finishUpload(id));
        } else {
            open.remove(id);
            workers.submit(() -> cleanUp(id, outcome.failure() == null ? "download sent" : "the session failed"));
        }
    }

    /** Waits until the stream has committed every object, then reports them (or the failure). */
    private void finishUpload(String id) {
        try {
            List<ObjectInfo> objects = agent.finishStreaming(id, STORAGE_FINISH_SECONDS);
            if (open.remove(id) != null) {
                reports.stored(id, objects);
            }
        } catch (StorageException e) {
            fail(id, e.error(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("transfer {}: committing the upload failed: {}", id, e.toString());
            fail(id, StorageError.IO, "committing the upload failed: " + e.getMessage());
        } finally {
            agent.discard(id);
            moved.remove(id);
        }
    }

    private void fail(String id, StorageError error, String message) {
        if (open.remove(id) != null) {
            reports.failed(id, error, message);
        }
        cleanUp(id, message);
    }

    private void cleanUp(String id, String reason) {
        agent.abortStreaming(id, reason);
        agent.discard(id);
        moved.remove(id);
    }

    /** Stops everything this node was doing (the manager no longer knows of it, e.g. after it restarted). */
    public void abandonAll(String reason) {
        for (String id : List.copyOf(open.keySet())) {
            open.remove(id);
            LOG.warn("transfer {}: abandoned: {}", id, reason);
            cleanUp(id, reason);
        }
    }

    /** Transfers open on this node. */
    public int openTransfers() {
        return open.size();
    }

    /** Sessions, storage throughput since the last call, and the process's CPU load. */
    public synchronized Load load() {
        long now = System.nanoTime();
        long bytes = bytesMoved.get();
        double seconds = Math.max(0.001, (now - lastLoadNanos) / 1e9);
        long bps = (long) ((bytes - lastLoadBytes) * 8 / seconds);
        lastLoadBytes = bytes;
        lastLoadNanos = now;
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return new Load(open.size(), Math.max(0, bps), Math.max(0, os.getProcessCpuLoad()));
    }

    @Override
    public void close() {
        workers.shutdown();
        try {
            if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.shutdownNow();
        }
    }
}
