package io.skyhaul.transfers;

import io.skyhaul.accounts.AccountService;
import io.skyhaul.accounts.StoredAccount;
import io.skyhaul.auth.Principal;
import io.skyhaul.auth.Secrets;
import io.skyhaul.http.errors.ApiError;
import io.skyhaul.http.errors.ApiException;
import io.skyhaul.metrics.Metrics;
import io.skyhaul.node.NodeAgent;
import io.skyhaul.node.NodeReports;
import io.skyhaul.node.NodeTask;
import io.skyhaul.nodes.NodeLink;
import io.skyhaul.nodes.NodeRegistry;
import io.skyhaul.nodes.NodeView;
import io.skyhaul.partners.PartnerToken;
import io.skyhaul.partners.PartnerTokenService;
import io.skyhaul.storage.ObjectInfo;
import io.skyhaul.storage.ObjectStore;
import io.skyhaul.storage.ObjectStores;
import io.skyhaul.storage.Overwrite;
import io.skyhaul.storage.StorageAccount;
import io.skyhaul.storage.StorageException;
import io.skyhaul.transfers.TransferRequest.TransferDirection;
import io.skyhaul.transport.ticket.Direction;
import io.skyhaul.transport.ticket.SessionTicket;
import io.skyhaul.transport.ticket.TicketSealer;
import java.io.Closeable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transfer lifecycle: checks who may move what where, allocates a node, issues the session
 * ticket and hands the node its {@link NodeTask} (stream an upload into storage, stage a
 * download); then follows what the node reports ({@link #reportsFrom}) to the end, and keeps the
 * transfer log. The embedded node and a remote node are driven the same way, through their
 * {@link NodeLink}; only how a task travels differs.
 */
public final class TransferService implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(TransferService.class);
    /** A ticket must be used within this time; the transfer expires otherwise. */
    public static final Duration TICKET_LIFETIME = Duration.ofHours(1);
    /** How long a node may take to take a task (an upload's stream must be ready before the client's session starts). */
    public static final Duration ASSIGN_TIMEOUT = Duration.ofSeconds(10);
    private static final Set<TransferState> OPEN = EnumSet.of(TransferState.WAITING, TransferState.PREPARING, TransferState.READY,
            TransferState.PUBLISHING);

    /** Live progress of a storage phase, kept in memory (the log has the final figures). */
    private record Live(long bytes, long startNanos, long total) {
    }

    private final TransferStore store;
    private final AccountService accounts;
    private final PartnerTokenService partners;
    private final NodeRegistry nodes;
    private final Secrets secrets;
    private final Metrics metrics;
    private final Clock clock;
    private final ExecutorService workers = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "skyhaul-transfer-worker");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Live> live = new ConcurrentHashMap<>();
    /** An upload's digests from its session, until the node reports its objects stored. */
    private final Map<String, Map<String, String>> sessionDigests = new ConcurrentHashMap<>();

    public TransferService(Jdbi jdbi, AccountService accounts, PartnerTokenService partners, NodeRegistry nodes, Secrets secrets,
            Metrics metrics, Clock clock) {
        this.store = new TransferStore(jdbi);
        this.accounts = accounts;
        this.partners = partners;
        this.nodes = nodes;
        this.secrets = secrets;
        this.metrics = metrics;
        this.clock = clock;
    }

    public TransferDetail create(Principal actor, TransferRequest r) {
        Location location = Location.ofRequest(r.location());
        StoredAccount account = accounts.accountOf(location);
        String id = secrets.newId();
        String direction = r.direction().wireName();
        List<TransferFile> files;
        if (r.direction() == TransferDirection.UPLOAD) {
            files = new ArrayList<>();
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (int i = 0; i < r.files().size(); i++) {
                TransferRequest.FileEntry f = r.files().get(i);
                checkRelative(f.path(), "files[" + i + "].path");
                if (!seen.add(f.path())) {
                    throw ApiException.invalid("files[" + i + "].path", "'" + f.path() + "' is listed twice");
                }
                files.add(new TransferFile(f.path(), location.prefix() + f.path(), f.size(), null, "pending"));
            }
        } else {
            files = listForDownload(account, location, r.paths());
        }
        long bytes = files.stream().mapToLong(TransferFile::size).sum();
        Long maxRate = r.maxRate();
        PartnerToken token = null;
        boolean recorded = false;
        if (actor.isPartner()) {
            token = partners.authorize(actor, direction, location, files.size(), bytes);
            if (token.maxRate() != null) {
                maxRate = maxRate == null ? token.maxRate() : Math.min(maxRate, token.maxRate());
            }
        }
        try {
            NodeView node = nodes.allocate();
            TicketSealer sealer = nodes.sealer(node.id());
            NodeLink link = nodes.link(node.id()).orElseThrow(() -> new ApiException(ApiError.NO_NODE_AVAILABLE,
                    "node " + node.name() + " is not connected to this manager"));
            SessionTicket ticket = sealer.issue(TICKET_LIFETIME, r.direction() == TransferDirection.UPLOAD ? Direction.UPLOAD : Direction.DOWNLOAD,
                    NodeAgent.scopeOf(id));
            TransferState state = r.direction() == TransferDirection.UPLOAD ? TransferState.WAITING : TransferState.PREPARING;
            TransferRecord record = new TransferRecord(id, direction, state, kindOf(actor), actor.id(),
                    actor.name(), account.id(), account.name(), location.toString(), node.id(), node.name(), ticket.sessionIdHex(),
                    (r.overwrite() == null ? TransferRequest.OverwriteRule.ALWAYS : r.overwrite()).name().toLowerCase(java.util.Locale.ROOT)
                            .replace('_', '-'),
                    maxRate, r.policy() == null ? "fair" : r.policy().name().toLowerCase(java.util.Locale.ROOT), files.size(), bytes, 0, 0, null,
                    clock.instant(), null, null, null, r.clientRef());
            store.insert(record, files);
            recorded = true;
            try {
                live.put(id, new Live(0, System.nanoTime(), bytes));
                assign(link, record, taskFor(record, account, location, files, ticket.sessionIdHex()));
            } catch (RuntimeException e) {
                failOpen(record, "the node was not given the transfer: " + e.getMessage()); // gives a partner's quota back
                throw e;
            }
            LOG.info("transfer {}: {} {} file(s), {} bytes, {} by {}, node {}", id, direction, files.size(), bytes, location,
                    actor.describe(), node.name());
            return new TransferDetail(record, files, null, null, SessionGrant.of(node.udpAddress(), ticket, sealer.seal(ticket)));
        } catch (RuntimeException e) {
            if (token != null && !recorded) {
                partners.release(token.id(), files.size(), bytes);
            }
            throw e;
        }
    }

    /** What the node must do: stream an upload into storage as it arrives, or stage a download's objects. */
    private NodeTask taskFor(TransferRecord t, StoredAccount account, Location location, List<TransferFile> files, String sessionId) {
        StorageAccount credentials = accounts.credentials(account.id());
        if (t.direction().equals("upload")) {
            Map<String, Long> declared = new java.util.HashMap<>();
            files.forEach(f -> declared.put(f.path(), f.size()));
            return new NodeTask.Upload(t.id(), sessionId, credentials, location.bucket(), location.prefix(), overwrite(t.overwrite()), declared);
        }
        return new NodeTask.Download(t.id(), sessionId, credentials, location.bucket(), location.prefix(),
                files.stream().map(f -> new ObjectInfo(f.objectKey(), f.size(), null, f.sha256())).toList(), t.maxRate());
    }

    /** Hands the task to the node and waits until it has taken it; a node that does not fails the transfer (503). */
    private void assign(NodeLink link, TransferRecord t, NodeTask task) {
        try {
            link.send(task).get(ASSIGN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            String why = e instanceof java.util.concurrent.TimeoutException ? "did not take the transfer within " + ASSIGN_TIMEOUT.toSeconds() + " s"
                    : "could not take the transfer: " + e.getCause().getMessage();
            failOpen(t, "node " + t.nodeName() + " " + why);
            throw new ApiException(ApiError.NO_NODE_AVAILABLE, "node " + t.nodeName() + " " + why + "; try again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failOpen(t, "interrupted while handing the transfer to node " + t.nodeName());
            throw new ApiException(ApiError.NO_NODE_AVAILABLE, "interrupted while handing the transfer to node " + t.nodeName());
        }
    }

    public TransferDetail get(Principal actor, String id) {
        TransferRecord t = visible(actor, id);
        Live l = live.get(id);
        Double rate = null;
        Double eta = null;
        if (l != null && !t.state().isFinal()) {
            double seconds = (System.nanoTime() - l.startNanos) / 1e9;
            rate = seconds > 0 ? l.bytes * 8 / seconds / 1e6 : null;
            eta = rate != null && rate > 0 ? (l.total - l.bytes) * 8 / (rate * 1e6) : null;
            t = withBytesDone(t, l.bytes);
        } else if (t.state() == TransferState.DONE) {
            rate = t.goodputMbps();
        }
        return new TransferDetail(t, store.files(id), rate, eta, null);
    }

    /** Filters of the transfer log; every field optional. */
    public record Query(String state, String actorName, String account, String direction, Instant since, Instant until, String clientRef) {
        public static Query all() {
            return new Query(null, null, null, null, null, null, null);
        }
    }

    /** The log, newest first; a partner or a gateway sees only its own transfers. */
    public List<TransferRecord> list(Principal actor, Query q, int limit, int offset) {
        boolean own = actor.seesOnlyOwnTransfers();
        List<TransferRecord> all = store.list(new TransferStore.Filter(q.state(), own ? actor.name() : q.actorName(), q.account(), q.direction(),
                q.since(), q.until(), own ? actor.id() : null, q.clientRef()), limit, offset);
        return own ? all.stream().filter(t -> t.actorId().equals(actor.id()) && t.actorKind().equals(kindOf(actor))).toList() : all;
    }

    public List<TransferRecord> list(Principal actor, String state, String actorName, String account, String direction, Instant since,
            Instant until, int limit, int offset) {
        return list(actor, new Query(state, actorName, account, direction, since, until, null), limit, offset);
    }

    private static String kindOf(Principal actor) {
        return actor.kind().name().toLowerCase(java.util.Locale.ROOT);
    }

    public TransferDetail cancel(Principal actor, String id) {
        TransferRecord t = visible(actor, id);
        if (!store.transition(id, OPEN, TransferState.CANCELLED, "cancelled by " + actor.describe())) {
            throw new ApiException(ApiError.CONFLICT, "transfer " + id + " has already ended (" + store.byId(id).orElseThrow().state().wireName() + ")");
        }
        ended(t, "cancelled");
        return get(actor, id);
    }

    private TransferRecord visible(Principal actor, String id) {
        TransferRecord t = store.byId(id).orElseThrow(() -> ApiException.notFound("transfer " + id));
        if (actor.seesOnlyOwnTransfers() && !(t.actorId().equals(actor.id()) && t.actorKind().equals(kindOf(actor)))) {
            throw ApiException.notFound("transfer " + id);
        }
        return t;
    }

    /**
     * What node {@code nodeId} reports, applied to the transfer log. A report about a transfer
     * that is not this node's is ignored (and logged): a node key speaks only for its own work.
     */
    public NodeReports reportsFrom(String nodeId) {
        return new NodeReports() {
            @Override
            public void accepted(String transferId) {
                nodes.link(nodeId).ifPresent(l -> l.accepted(transferId));
            }

            @Override
            public void progress(String transferId, long bytes) {
                live.computeIfPresent(transferId, (k, l) -> new Live(bytes, l.startNanos, l.total));
            }

            @Override
            public void prepared(String transferId, List<NodeAgent.PreparedFile> files) {
                ownTransfer(nodeId, transferId).ifPresent(t -> onPrepared(t, files));
            }

            @Override
            public void sessionEnded(String transferId, NodeReports.SessionResult result) {
                ownTransfer(nodeId, transferId).ifPresent(t -> onSessionEnded(t, result));
            }

            @Override
            public void stored(String transferId, List<ObjectInfo> objects) {
                ownTransfer(nodeId, transferId).ifPresent(t -> onStored(t, objects));
            }

            @Override
            public void failed(String transferId, io.skyhaul.storage.StorageError error, String message) {
                ownTransfer(nodeId, transferId).ifPresent(t -> {
                    metrics.storageError(error);
                    failOpen(t, "storage: " + message);
                });
            }
        };
    }

    private java.util.Optional<TransferRecord> ownTransfer(String nodeId, String transferId) {
        java.util.Optional<TransferRecord> t = store.byId(transferId).filter(r -> nodeId.equals(r.nodeId()));
        if (t.isEmpty()) {
            LOG.warn("node {} reported on transfer {}, which is not one of its transfers: ignored", nodeId, transferId);
        }
        return t;
    }

    private void onSessionEnded(TransferRecord t, NodeReports.SessionResult result) {
        if (result.failure() != null) {
            failOpen(t, "UDP session failed: " + result.failure());
            return;
        }
        Instant started = clock.instant().minusMillis((long) (result.seconds() * 1000));
        store.sessionEnded(t.id(), started, result.bytes(), result.retransmittedBytes());
        if (t.direction().equals("download")) {
            finish(t.id(), TransferState.READY, TransferState.DONE, null);
            return;
        }
        sessionDigests.put(t.id(), result.digests());
        if (!store.transition(t.id(), Set.of(TransferState.WAITING), TransferState.PUBLISHING, null)) {
            sessionDigests.remove(t.id());
            release(t, "the transfer had already ended");
        }
    }

    /** The node committed every object it streamed: check them against the session's digests. */
    private void onStored(TransferRecord t, List<ObjectInfo> written) {
        Map<String, String> digests = sessionDigests.remove(t.id());
        live.remove(t.id());
        Location location = Location.parse(t.location());
        Map<String, String> stored = new java.util.TreeMap<>();
        for (ObjectInfo o : written) {
            stored.put(o.key().substring(location.prefix().length()), o.sha256Hex());
        }
        if (digests == null || !stored.equals(new java.util.TreeMap<>(digests))) {
            metrics.storageError(io.skyhaul.storage.StorageError.INTEGRITY);
            finish(t.id(), TransferState.PUBLISHING, TransferState.FAILED, "storage: the objects stored (" + stored.size()
                    + ") do not match the files and digests of the session (" + (digests == null ? "unknown" : digests.size()) + ")");
            return;
        }
        store.filesDone(t.id(), stored);
        finish(t.id(), TransferState.PUBLISHING, TransferState.DONE, null);
    }

    private void onPrepared(TransferRecord t, List<NodeAgent.PreparedFile> prepared) {
        live.remove(t.id());
        store.replaceFiles(t.id(), prepared.stream().map(p -> new TransferFile(p.path(), p.objectKey(), p.size(), p.sha256(), "ready")).toList(),
                prepared.stream().mapToLong(NodeAgent.PreparedFile::size).sum());
        if (!store.transition(t.id(), Set.of(TransferState.PREPARING), TransferState.READY, null)) {
            release(t, "the transfer had already ended");
        }
    }

    /** Tells the transfer's node to stop it and delete its spool (if the node is still connected). */
    private void release(TransferRecord t, String reason) {
        if (t.nodeId() != null) {
            nodes.link(t.nodeId()).ifPresent(l -> l.send(new NodeTask.Release(t.id(), reason)));
        }
    }

    private void failOpen(TransferRecord t, String reason) {
        if (store.transition(t.id(), OPEN, TransferState.FAILED, reason)) {
            ended(t, "failed");
        }
    }

    /** Ends a transfer still in {@code from} (publishing, or a download whose session finished) with its final figures. */
    private void finish(String id, TransferState from, TransferState state, String error) {
        TransferRecord t = store.byId(id).orElseThrow();
        Instant now = clock.instant();
        Double goodput = null;
        if (state == TransferState.DONE && t.startedAt() != null) {
            double seconds = Math.max(0.001, (now.toEpochMilli() - t.startedAt().toEpochMilli()) / 1000.0);
            goodput = t.bytesTotal() * 8 / seconds / 1e6;
        }
        if (!store.finished(id, from, state, now, goodput, error)) {
            return;
        }
        if (state == TransferState.DONE) {
            metrics.transferFinished(t.direction(), "done", t.bytesTotal(), t.retransmittedBytes(), goodput);
            LOG.info("transfer {}: done, {} bytes, {} Mbit/s end to end", id, t.bytesTotal(), goodput == null ? "?" : String.format("%.1f", goodput));
        } else {
            ended(t, "failed");
            LOG.warn("transfer {}: failed: {}", id, error);
        }
    }

    /** Clean-up for a transfer that ended without success: its spool, and a partner's reserved usage. */
    private void ended(TransferRecord t, String outcome) {
        live.remove(t.id());
        sessionDigests.remove(t.id());
        release(t, "transfer " + outcome);
        if (t.actorKind().equals("partner")) {
            partners.release(t.actorId(), t.files(), t.bytesTotal());
        }
        metrics.transferFinished(t.direction(), outcome, 0, 0, null);
    }

    /**
     * When a node (re-)registers: transfers that were open on it cannot go on (the node, or this
     * manager, restarted, and the sessions, streams or the manager's side of them died with it);
     * they fail now rather than wait for expiry.
     */
    public int failInterrupted(String nodeId) {
        return failOpenOn(nodeId, "the node restarted during the transfer; start it again", false);
    }

    /**
     * Transfers open on a node that stopped sending heartbeats fail: the node is gone or cut off
     * and cannot finish them. Uploads it had begun in storage are aborted from here, since the
     * node may never do it (killed): nothing half-written stays behind.
     */
    public int failOnSilentNode(String nodeId) {
        return failOpenOn(nodeId, "node " + nodeId + " stopped reporting (no heartbeat for " + NodeRegistry.HEARTBEAT_TIMEOUT.toSeconds()
                + " s); start the transfer again", true);
    }

    private int failOpenOn(String nodeId, String reason, boolean abortUploads) {
        int n = 0;
        for (TransferRecord t : store.openOn(nodeId)) {
            if (store.transition(t.id(), OPEN, TransferState.FAILED, reason)) {
                ended(t, "failed");
                LOG.warn("transfer {}: failed: {}", t.id(), reason);
                if (abortUploads && t.direction().equals("upload")) {
                    workers.submit(() -> abortUploads(t));
                }
                n++;
            }
        }
        return n;
    }

    private void abortUploads(TransferRecord t) {
        try (ObjectStore objects = ObjectStores.open(accounts.credentials(t.accountId()), Location.parse(t.location()).bucket())) {
            for (TransferFile f : store.files(t.id())) {
                objects.abortIncompleteUploads(f.objectKey());
            }
        } catch (StorageException | RuntimeException e) {
            LOG.warn("transfer {}: could not abort its unfinished uploads in storage: {}", t.id(), e.getMessage());
        }
    }

    /** Transfers whose ticket expired unused. */
    public void expireStale() {
        for (TransferRecord t : store.unstartedBefore(clock.instant().minus(TICKET_LIFETIME))) {
            if (store.transition(t.id(), Set.of(TransferState.WAITING, TransferState.READY), TransferState.EXPIRED, "the session ticket expired unused")) {
                ended(t, "expired");
            }
        }
    }

    private List<TransferFile> listForDownload(StoredAccount account, Location location, List<String> paths) {
        try (ObjectStore objects = ObjectStores.open(accounts.credentials(account.id()), location.bucket())) {
            List<TransferFile> files = new ArrayList<>();
            if (paths == null || paths.isEmpty()) {
                for (ObjectInfo o : objects.list(location.prefix())) {
                    files.add(new TransferFile(o.key().substring(location.prefix().length()), o.key(), o.size(), o.sha256Hex(), "pending"));
                }
                if (files.isEmpty()) {
                    throw ApiException.notFound("nothing under " + location);
                }
            } else {
                for (int i = 0; i < paths.size(); i++) {
                    checkRelative(paths.get(i), "paths[" + i + "]");
                    String key = location.prefix() + paths.get(i);
                    ObjectInfo o = objects.stat(key).orElseThrow(() -> ApiException.notFound("object " + location + key.substring(location.prefix().length())));
                    files.add(new TransferFile(paths.get(i), key, o.size(), o.sha256Hex(), "pending"));
                }
            }
            return files;
        } catch (StorageException e) {
            metrics.storageError(e.error());
            throw new ApiException(ApiError.STORAGE_FAILED, "cannot list " + location + ": " + e.getMessage());
        }
    }

    /** A client path must name a file inside the transfer: relative, '/'-separated, no '.', '..' or empty segments. */
    static void checkRelative(String path, String field) {
        if (path.startsWith("/") || path.indexOf('\\') >= 0 || path.indexOf('\0') >= 0) {
            throw ApiException.invalid(field, "'" + path + "' must be a relative path with '/' separators");
        }
        for (String s : path.split("/", -1)) {
            if (s.isEmpty() || s.equals(".") || s.equals("..")) {
                throw ApiException.invalid(field, "'" + path + "' may not contain empty, '.' or '..' segments");
            }
        }
    }

    private static Overwrite overwrite(String rule) {
        return switch (rule) {
            case "never" -> Overwrite.NEVER;
            case "if-different" -> Overwrite.IF_DIFFERENT;
            default -> Overwrite.ALWAYS;
        };
    }

    private static TransferRecord withBytesDone(TransferRecord t, long bytes) {
        return new TransferRecord(t.id(), t.direction(), t.state(), t.actorKind(), t.actorId(), t.actorName(), t.accountId(), t.accountName(),
                t.location(), t.nodeId(), t.nodeName(), t.sessionId(), t.overwrite(), t.maxRate(), t.policy(), t.files(), t.bytesTotal(), bytes,
                t.retransmittedBytes(), t.goodputMbps(), t.createdAt(), t.startedAt(), t.finishedAt(), t.error(), t.clientRef());
    }

    @Override
    public void close() {
        workers.shutdown();
        try {
            if (!workers.awaitTermination(30, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.shutdownNow();
        }
    }
}
