package io.skyhaul.gateway;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * Where each settled file of each hot folder stands, in the gateway's database (every commit
 * synced). A file enters as {@code queued}; a batch of them becomes {@code sending} under one
 * client reference before any byte leaves, so after a crash the batch is asked about by that
 * reference and never sent twice; once its transfer is done the files are {@code disposing}
 * (the after-success action is due) or {@code sent} (kept in place, remembered so that the same
 * version is not sent again). A file that settles again with another size or time is a new version.
 */
final class HotFileStore {
    /** One file's record. */
    record HotFile(String folder, String path, long size, long mtimeNanos, String fileKey, String state, String clientRef, String transferId,
            int attempts, Instant retryAt, String error, String sha256) {

        /** The version recorded, as the scanner reports one. */
        io.skyhaul.gateway.hotfolder.ScannedFile version() {
            return new io.skyhaul.gateway.hotfolder.ScannedFile(path, size, Instant.ofEpochSecond(0, mtimeNanos), java.util.Optional.ofNullable(fileKey));
        }
    }

    /** A file's modification time as stored: nanoseconds since the epoch. */
    static long nanos(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }

    private static final RowMapper<HotFile> MAPPER = (rs, ctx) -> new HotFile(rs.getString("folder"), rs.getString("path"), rs.getLong("size"),
            rs.getLong("mtime"), rs.getString("file_key"), rs.getString("state"), rs.getString("client_ref"), rs.getString("transfer_id"), rs.getInt("attempts"),
            rs.getString("retry_at") == null ? null : Instant.parse(rs.getString("retry_at")), rs.getString("error"), rs.getString("sha256"));

    private final Jdbi jdbi;
    private final Clock clock;

    HotFileStore(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    Optional<HotFile> get(String folder, String path) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM hot_files WHERE folder = :f AND path = :p").bind("f", folder).bind("p", path)
                .map(MAPPER).findOne());
    }

    List<HotFile> inState(String folder, String state) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM hot_files WHERE folder = :f AND state = :s ORDER BY path").bind("f", folder)
                .bind("s", state).map(MAPPER).list());
    }

    int count(String folder, String state) {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM hot_files WHERE folder = :f AND state = :s").bind("f", folder)
                .bind("s", state).mapTo(Integer.class).one());
    }

    /** A settled file that passed its rules, to be sent (a new version of a known path replaces its record). */
    void queue(String folder, io.skyhaul.gateway.hotfolder.ScannedFile f, String sha256) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO hot_files (folder, path, size, mtime, file_key, state, sha256, updated_at)"
                        + " VALUES (:f, :p, :s, :m, :k, 'queued', :h, :at)"
                        + " ON CONFLICT (folder, path) DO UPDATE SET size = :s, mtime = :m, file_key = :k, state = 'queued', client_ref = NULL,"
                        + " transfer_id = NULL, attempts = 0, retry_at = NULL, error = NULL, sha256 = :h, updated_at = :at")
                .bind("f", folder).bind("p", f.relativePath()).bind("s", f.size()).bind("m", nanos(f.lastModified()))
                .bind("k", f.fileKey().orElse(null)).bind("h", sha256).bind("at", now()).execute());
    }

    /** Queued files whose retry time has come, oldest first. */
    List<HotFile> due(String folder, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM hot_files WHERE folder = :f AND state = 'queued' AND (retry_at IS NULL OR retry_at <= :now)"
                        + " ORDER BY updated_at, path LIMIT :n")
                .bind("f", folder).bind("now", now()).bind("n", limit).map(MAPPER).list());
    }

    /** The batch is about to be sent under {@code clientRef}: recorded before any byte leaves. */
    void sending(String folder, List<String> paths, String clientRef) {
        jdbi.useTransaction(h -> {
            var b = h.prepareBatch("UPDATE hot_files SET state = 'sending', client_ref = :r, updated_at = :at WHERE folder = :f AND path = :p");
            for (String p : paths) {
                b.bind("r", clientRef).bind("at", now()).bind("f", folder).bind("p", p).add();
            }
            b.execute();
        });
    }

    /** Batches left {@code sending} (by a crash): by client reference. */
    Map<String, List<HotFile>> sendingBatches(String folder) {
        Map<String, List<HotFile>> out = new LinkedHashMap<>();
        for (HotFile f : inState(folder, "sending")) {
            out.computeIfAbsent(f.clientRef(), k -> new java.util.ArrayList<>()).add(f);
        }
        return out;
    }

    /** The batch's transfer is done: its files are kept and remembered, or their after-success action is due. */
    void sent(String folder, String clientRef, String transferId, boolean kept) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE hot_files SET state = :s, transfer_id = :t, error = NULL, retry_at = NULL, updated_at = :at"
                        + " WHERE folder = :f AND client_ref = :r AND state = 'sending'")
                .bind("s", kept ? "sent" : "disposing").bind("t", transferId).bind("at", now()).bind("f", folder).bind("r", clientRef).execute());
    }

    /** The batch failed for now: back in the queue after {@code retryAt}, with one attempt more when it {@code counts}. */
    void retry(String folder, String clientRef, String error, Instant retryAt, boolean counts) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE hot_files SET state = 'queued', client_ref = NULL, attempts = attempts + :n, error = :e,"
                        + " retry_at = :ra, updated_at = :at WHERE folder = :f AND client_ref = :r AND state = 'sending'")
                .bind("n", counts ? 1 : 0).bind("e", error).bind("ra", retryAt.toString()).bind("at", now()).bind("f", folder).bind("r", clientRef)
                .execute());
    }

    /** A kept file touched but not changed (same SHA-256): its record takes the new version, and stays sent. */
    void touched(String folder, io.skyhaul.gateway.hotfolder.ScannedFile f) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE hot_files SET size = :s, mtime = :m, file_key = :k, updated_at = :at"
                        + " WHERE folder = :f AND path = :p AND state = 'sent'")
                .bind("s", f.size()).bind("m", nanos(f.lastModified())).bind("k", f.fileKey().orElse(null)).bind("at", now()).bind("f", folder)
                .bind("p", f.relativePath()).execute());
    }

    /** The file is no longer the store's concern (moved, deleted, given up, or gone). */
    void forget(String folder, String path) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM hot_files WHERE folder = :f AND path = :p").bind("f", folder).bind("p", path).execute());
    }


    private String now() {
        return clock.instant().toString();
    }
}
