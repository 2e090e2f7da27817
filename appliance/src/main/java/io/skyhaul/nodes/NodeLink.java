package io.skyhaul.nodes;

import io.skyhaul.node.NodeTask;
import java.util.concurrent.CompletableFuture;

/**
 * The manager's line to one node: how a {@link NodeTask} reaches it. The embedded node takes
 * tasks in process ({@link LocalNodeLink}); a remote node fetches them over its channel
 * ({@link RemoteNodeLink}). The transfer lifecycle is written once, against this interface; what
 * the node answers comes back through {@link io.skyhaul.node.NodeReports}.
 */
public interface NodeLink {
    /** Hands over a task; completes when the node has taken it (an upload's stream is then ready for the client). */
    CompletableFuture<Void> send(NodeTask task);

    /** The node took the task of {@code transferId}. */
    default void accepted(String transferId) {
    }
}
