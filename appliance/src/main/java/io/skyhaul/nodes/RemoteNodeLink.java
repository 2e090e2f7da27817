package io.skyhaul.nodes;

import io.skyhaul.node.NodeTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A node-only process that registered over HTTP. The manager never connects to it: its tasks
 * wait here until the node long-polls {@code GET /api/v1/node/tasks}, and a task counts as taken
 * when the node reports it accepted. A new registration of the same node replaces this link;
 * {@link #close} fails whatever was still waiting.
 */
public final class RemoteNodeLink implements NodeLink {
    /** Tasks handed over in one poll at most. */
    static final int MAX_TASKS_PER_POLL = 100;

    private final String nodeName;
    private final BlockingQueue<NodeTask> queue = new LinkedBlockingQueue<>();
    private final Map<String, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();
    private volatile boolean closed;

    RemoteNodeLink(String nodeName) {
        this.nodeName = nodeName;
    }

    @Override
    public CompletableFuture<Void> send(NodeTask task) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("node " + nodeName + " is no longer connected"));
        }
        CompletableFuture<Void> taken = task instanceof NodeTask.Release ? CompletableFuture.completedFuture(null) : new CompletableFuture<>();
        if (!taken.isDone()) {
            waiting.put(task.transferId(), taken);
        }
        queue.add(task);
        return taken;
    }

    @Override
    public void accepted(String transferId) {
        CompletableFuture<Void> f = waiting.remove(transferId);
        if (f != null) {
            f.complete(null);
        }
    }

    /** The tasks waiting for the node, waiting up to {@code wait} for the first one; empty when none came. */
    public List<NodeTask> poll(Duration wait) throws InterruptedException {
        List<NodeTask> out = new ArrayList<>();
        NodeTask first = queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (first != null) {
            out.add(first);
            queue.drainTo(out, MAX_TASKS_PER_POLL - 1);
        }
        return out;
    }

    void close() {
        closed = true;
        queue.clear();
        waiting.values().forEach(f -> f.completeExceptionally(new IllegalStateException("node " + nodeName + " disconnected")));
        waiting.clear();
    }
}
