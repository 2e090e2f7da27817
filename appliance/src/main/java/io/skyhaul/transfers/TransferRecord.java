package io.skyhaul.transfers;

import java.time.Instant;

/**
 * One transfer as the log keeps it: who, what, from/to where, which node, when, how much, how fast, outcome.
 *
 * @param clientRef the client's own reference for it, if it gave one (a gateway finds its transfers after a crash by it)
 */
public record TransferRecord(String id, String direction, TransferState state, String actorKind, String actorId, String actorName,
        String accountId, String accountName, String location, String nodeId, String nodeName, String sessionId, String overwrite,
        Long maxRate, String policy, long files, long bytesTotal, long bytesDone, long retransmittedBytes, Double goodputMbps,
        Instant createdAt, Instant startedAt, Instant finishedAt, String error, String clientRef) {

    /** Seconds from the session's first packet to the end, when finished. */
    public Double durationSeconds() {
        return startedAt == null || finishedAt == null ? null : (finishedAt.toEpochMilli() - startedAt.toEpochMilli()) / 1000.0;
    }
}
