package io.skyhaul.gateway.spool;

import java.time.Instant;

/**
 * An entry the uploader gave up on (or whose body was lost before its upload), kept in the
 * bounded list of recent failures so an operator can see what was not delivered and why.
 *
 * @param bodyKept the body was moved to {@code failed/ID} rather than deleted
 */
public record SpoolFailure(String id, String location, String path, long size, String sha256Hex, Instant acceptedAt,
        Instant failedAt, int attempts, String reason, boolean bodyKept) {

    static SpoolFailure of(SpoolEntry entry, Instant failedAt, String reason, boolean bodyKept) {
        return new SpoolFailure(entry.id(), entry.location(), entry.path(), entry.size(), entry.sha256Hex(), entry.acceptedAt(),
                failedAt, entry.attempts(), reason, bodyKept);
    }
}
