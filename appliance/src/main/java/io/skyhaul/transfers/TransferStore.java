package io.skyhaul.transfers;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/** The transfer log in the manager's database. */
final class TransferStore {
    private static final RowMapper<TransferRecord> RECORD = (rs, ctx) -> new TransferRecord(rs.getString("id"), rs.getString("direction"),
            TransferState.parse(rs.getString("state")), rs.getString("actor_kind"), rs.getString("actor_id"), rs.getString("actor_name"),
            rs.getString("account_id"), rs.getString("account_name"), rs.getString("location"), rs.getString("node_id"),
            rs.getString("node_name"), rs.getString("session_id"), rs.getString("overwrite"),
            rs.getObject("max_rate") == null ? null : rs.getLong("max_rate"), rs.getString("policy"), rs.getLong("files"),
            rs.getLong("bytes_total"), rs.getLong("bytes_done"), rs.getLong("retransmitted"),
            rs.getObject("goodput_mbps") == null ? null : rs.getDouble("goodput_mbps"), instant(rs.getString("created_at")),
            instant(rs.getString("started_at")), instant(rs.getString("finished_at")), rs.getString("error"), rs.getString("client_ref"));
    private static final RowMapper<TransferFile> FILE = (rs, ctx) -> new TransferFile(rs.getString("path"), rs.getString("object_key"),
            rs.getLong("size"), rs.getString("sha256"), rs.getString("state"));

    /** Filters of the log; every field optional. */
    record Filter(String state, String actorName, String accountName, String direction, Instant since, Instant until, String actorId,
            String clientRef) {
    }

    private final Jdbi jdbi;

    TransferStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    private static Instant instant(String s) {
        return s == null ? null : Instant.parse(s);
    }

    private static String text(Instant i) {
        return i == null ? null : i.toString();
    }

    void insert(TransferRecord t, List<TransferFile> files) {
        jdbi.useTransaction(h -> {
            h.createUpdate("INSERT INTO transfers (id, direction, state, actor_kind, actor_id, actor_name, account_id, account_name, location, "
                            + "node_id, node_name, session_id, overwrite, max_rate, policy, files, bytes_total, created_at, client_ref) VALUES "
                            + "(:id, :direction, :state, :actorKind, :actorId, :actorName, :accountId, :accountName, :location, :nodeId, "
                            + ":nodeName, :sessionId, :overwrite, :maxRate, :policy, :files, :bytesTotal, :created, :clientRef)")
                    .bind("id", t.id()).bind("direction", t.direction()).bind("state", t.state().wireName())
                    .bind("actorKind", t.actorKind()).bind("actorId", t.actorId()).bind("actorName", t.actorName())
                    .bind("accountId", t.accountId()).bind("accountName", t.accountName()).bind("location", t.location())
                    .bind("nodeId", t.nodeId()).bind("nodeName", t.nodeName()).bind("sessionId", t.sessionId())
                    .bind("overwrite", t.overwrite()).bind("maxRate", t.maxRate()).bind("policy", t.policy())
                    .bind("files", t.files()).bind("bytesTotal", t.bytesTotal()).bind("created", text(t.createdAt()))
                    .bind("clientRef", t.clientRef()).execute();
            var batch = h.prepareBatch("INSERT INTO transfer_files (transfer_id, path, object_key, size, state) VALUES (:t, :path, :key, :size, :state)");
            for (TransferFile f : files) {
                batch.bind("t", t.id()).bind("path", f.path()).bind("key", f.objectKey()).bind("size", f.size()).bind("state", f.state()).add();
            }
            if (!files.isEmpty()) {
                batch.execute();
            }
        });
    }

    Optional<TransferRecord> byId(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM transfers WHERE id = :id").bind("id", id).map(RECORD).findOne());
    }

    /**
     * The transfer of a session. The node reports sessions by the first 12 hex digits of the
     * ticket's 128-bit session id (what its log lines show); an ambiguous prefix matches nothing.
     */
    Optional<TransferRecord> bySession(String sessionIdOrPrefix) {
        List<TransferRecord> found = jdbi.withHandle(h -> h.createQuery("SELECT * FROM transfers WHERE substr(session_id, 1, length(:s)) = :s LIMIT 2")
                .bind("s", sessionIdOrPrefix).map(RECORD).list());
        return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
    }

    List<TransferFile> files(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM transfer_files WHERE transfer_id = :id ORDER BY path").bind("id", id).map(FILE).list());
    }

    void replaceFiles(String id, List<TransferFile> files, long bytesTotal) {
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM transfer_files WHERE transfer_id = :id").bind("id", id).execute();
            var batch = h.prepareBatch("INSERT INTO transfer_files (transfer_id, path, object_key, size, sha256, state) VALUES (:t, :path, :key, :size, :sha, :state)");
            for (TransferFile f : files) {
                batch.bind("t", id).bind("path", f.path()).bind("key", f.objectKey()).bind("size", f.size()).bind("sha", f.sha256())
                        .bind("state", f.state()).add();
            }
            if (!files.isEmpty()) {
                batch.execute();
            }
            h.createUpdate("UPDATE transfers SET files = :n, bytes_total = :b WHERE id = :id").bind("n", files.size()).bind("b", bytesTotal)
                    .bind("id", id).execute();
        });
    }

    /** Marks files stored, with their SHA-256 by path, in one transaction (one commit, not one per file: a transfer may hold 100,000). */
    void filesDone(String id, java.util.Map<String, String> sha256ByPath) {
        if (sha256ByPath.isEmpty()) {
            return;
        }
        jdbi.useTransaction(h -> {
            var batch = h.prepareBatch("UPDATE transfer_files SET sha256 = :sha, state = 'done' WHERE transfer_id = :id AND path = :path");
            sha256ByPath.forEach((path, sha) -> batch.bind("id", id).bind("path", path).bind("sha", sha).add());
            batch.execute();
        });
    }

    /** Moves a transfer to a new state only from one of the expected ones; false when it was elsewhere (e.g. cancelled meanwhile). */
    boolean transition(String id, java.util.Set<TransferState> from, TransferState to, String error) {
        String froms = from.stream().map(s -> "'" + s.wireName() + "'").collect(java.util.stream.Collectors.joining(","));
        return jdbi.withHandle(h -> h.createUpdate("UPDATE transfers SET state = :to, error = coalesce(:error, error), "
                        + "finished_at = CASE WHEN :final THEN :now ELSE finished_at END WHERE id = :id AND state IN (" + froms + ")")
                .bind("id", id).bind("to", to.wireName()).bind("error", error).bind("final", to.isFinal())
                .bind("now", Instant.now().toString()).execute()) == 1;
    }

    void sessionEnded(String id, Instant startedAt, long bytes, long retransmitted) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE transfers SET started_at = :start, bytes_done = :b, retransmitted = :r WHERE id = :id")
                .bind("start", text(startedAt)).bind("b", bytes).bind("r", retransmitted).bind("id", id).execute());
    }

    /**
     * Ends a transfer that is still in state {@code from}, with its final figures in the same
     * update (a reader never sees {@code done} without its goodput); false when it was elsewhere,
     * e.g. cancelled meanwhile.
     */
    boolean finished(String id, TransferState from, TransferState state, Instant finishedAt, Double goodputMbps, String error) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE transfers SET state = :state, finished_at = :at, goodput_mbps = :g, error = :e, "
                        + "bytes_done = CASE WHEN :done THEN bytes_total ELSE bytes_done END WHERE id = :id AND state = :from")
                .bind("state", state.wireName()).bind("at", text(finishedAt)).bind("g", goodputMbps).bind("e", error)
                .bind("done", state == TransferState.DONE).bind("from", from.wireName()).bind("id", id).execute()) == 1;
    }

    List<TransferRecord> list(Filter f, int limit, int offset) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM transfers WHERE (:state IS NULL OR state = :state) "
                        + "AND (:actor IS NULL OR actor_name = :actor) AND (:account IS NULL OR account_name = :account) "
                        + "AND (:direction IS NULL OR direction = :direction) AND (:since IS NULL OR created_at >= :since) "
                        + "AND (:until IS NULL OR created_at < :until) AND (:actorId IS NULL OR actor_id = :actorId) "
                        + "AND (:clientRef IS NULL OR client_ref = :clientRef) ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset")
                .bind("state", f.state()).bind("actor", f.actorName()).bind("account", f.accountName()).bind("direction", f.direction())
                .bind("since", text(f.since())).bind("until", text(f.until())).bind("actorId", f.actorId()).bind("clientRef", f.clientRef())
                .bind("limit", limit).bind("offset", offset)
                .map(RECORD).list());
    }

    /** Transfers not yet ended on node {@code nodeId}. */
    List<TransferRecord> openOn(String nodeId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM transfers WHERE node_id = :n AND state IN ('waiting', 'preparing', 'ready', 'publishing')")
                .bind("n", nodeId).map(RECORD).list());
    }

    /** Transfers whose ticket was never used before it expired. */
    List<TransferRecord> unstartedBefore(Instant createdBefore) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM transfers WHERE state IN ('waiting', 'ready') AND created_at < :t")
                .bind("t", text(createdBefore)).map(RECORD).list());
    }
}
