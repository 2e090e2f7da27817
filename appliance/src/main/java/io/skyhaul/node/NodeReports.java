package io.skyhaul.node;

import io.skyhaul.storage.ObjectInfo;
import io.skyhaul.storage.StorageError;
import io.skyhaul.transport.session.TransferNode;
import java.util.List;
import java.util.Map;

/**
 * What a node tells the manager about the transfers it was given, in the order they happen. The
 * manager implements it (checking that the transfer is the reporting node's); the embedded node
 * calls it in process, a remote node through {@code POST /api/v1/node/reports}.
 */
public interface NodeReports {
    /** The node has taken the task of {@code transferId} (an upload's stream is ready for the client's session). */
    void accepted(String transferId);

    /** Bytes moved between storage and the node so far (monotonic). */
    void progress(String transferId, long bytes);

    /** A download's objects are in the spool: the client may fetch them. */
    void prepared(String transferId, List<NodeAgent.PreparedFile> files);

    /** The UDP session of the transfer ended, well or not. After a good upload session, {@link #stored} or {@link #failed} follows. */
    void sessionEnded(String transferId, SessionResult result);

    /** Every object of an upload is committed and verified. */
    void stored(String transferId, List<ObjectInfo> objects);

    /** Storage failed (preparing a download, or streaming an upload): nothing uncommitted is left behind. */
    void failed(String transferId, StorageError error, String message);

    /**
     * The figures of an ended session.
     *
     * @param digests SHA-256 (hex) of each file by path, as the transport verified them
     * @param failure why the session failed; null when it succeeded
     */
    record SessionResult(long bytes, long retransmittedBytes, double seconds, Map<String, String> digests, String failure) {
        static SessionResult of(TransferNode.SessionOutcome outcome) {
            if (outcome.failure() != null) {
                return new SessionResult(0, 0, 0, Map.of(), outcome.failure().getMessage());
            }
            var r = outcome.report();
            return new SessionResult(r.bytes(), r.retransmittedBytes(), r.seconds(), Map.copyOf(r.digests()), null);
        }
    }
}
