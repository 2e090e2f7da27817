package io.skyhaul.nodes;

import io.skyhaul.node.NodeTask;
import io.skyhaul.node.NodeWorker;
import java.util.concurrent.CompletableFuture;

/** The embedded node: tasks go straight to its worker in this process. */
public final class LocalNodeLink implements NodeLink {
    private final NodeWorker worker;

    public LocalNodeLink(NodeWorker worker) {
        this.worker = worker;
    }

    @Override
    public CompletableFuture<Void> send(NodeTask task) {
        try {
            worker.accept(task);
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
