package io.skyhaul.node;

import io.skyhaul.storage.ObjectInfo;
import io.skyhaul.storage.Overwrite;
import io.skyhaul.storage.StorageAccount;
import java.util.List;
import java.util.Map;

/**
 * What the manager asks a node to do for one transfer. The embedded node receives these in
 * process, a remote node over its authenticated channel; either way {@link NodeWorker} carries
 * them out. A task carries the storage account with its secrets, decrypted by the manager, so
 * it must never be logged as more than its {@code toString} (the accounts redact their secrets).
 */
public sealed interface NodeTask {
    String transferId();

    /**
     * Receive the files of {@code files} (path → size) in the session {@code sessionId} and stream
     * them into {@code bucket} under {@code prefix} as they arrive.
     */
    record Upload(String transferId, String sessionId, StorageAccount account, String bucket, String prefix, Overwrite overwrite,
            Map<String, Long> files) implements NodeTask {
        public Upload {
            files = Map.copyOf(files);
        }
    }

    /**
     * Fetch {@code objects} (keys under {@code prefix}) into the transfer's spool for the session
     * {@code sessionId} to send, at most at {@code maxRate} bits per second (null: no ceiling).
     */
    record Download(String transferId, String sessionId, StorageAccount account, String bucket, String prefix, List<ObjectInfo> objects,
            Long maxRate) implements NodeTask {
        public Download {
            objects = List.copyOf(objects);
        }
    }

    /** The transfer ended on the manager's side (failed, cancelled, expired): stop it and delete its spool; nothing uncommitted stays in storage. */
    record Release(String transferId, String reason) implements NodeTask {
    }
}
