package io.skyhaul.gateway.spool;

import java.time.Instant;

/**
 * An acknowledged body waiting in the spool for its upload.
 *
 * @param id         random, unguessable, 16 lowercase hex digits; also the data file's name
 * @param location   the destination as the client gave it (e.g. {@code s3://acct/bucket/prefix/})
 * @param path       the relative, '/'-separated name as the client gave it
 * @param sha256Hex  computed while the body was written (lowercase hex)
 * @param transferId the upload in progress (UPLOADING only, else null)
 * @param clientRef  the uploader's reference for that upload (UPLOADING only, may be null)
 * @param attempts   upload attempts that ended without success so far
 * @param lastError  why the last of them failed (null before any)
 */
public record SpoolEntry(String id, String location, String path, long size, String sha256Hex, Instant acceptedAt,
        State state, String transferId, String clientRef, int attempts, String lastError) {

    public enum State {
        QUEUED, UPLOADING
    }

    SpoolEntry uploading(String newTransferId, String newClientRef) {
        return new SpoolEntry(id, location, path, size, sha256Hex, acceptedAt, State.UPLOADING, newTransferId, newClientRef, attempts, lastError);
    }

    SpoolEntry retried(String error) {
        return new SpoolEntry(id, location, path, size, sha256Hex, acceptedAt, State.QUEUED, null, null, attempts + 1, error);
    }
}
