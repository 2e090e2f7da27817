package io.skyhaul.transfers;

import io.skyhaul.accounts.AccountService;
import io.skyhaul.accounts.StoredAccount;
import io.skyhaul.auth.Principal;
import io.skyhaul.auth.Secrets;
import io.skyhaul.http.errors.ApiError;
import io.skyhaul.http.errors.ApiException;
import io.skyhaul.metrics.Metrics;
import io.skyhaul.node.NodeAgent;
import io.skyhaul.nodes.NodeRegistry;
import io.skyhaul.nodes.NodeView;
import io.skyhaul.partners.PartnerToken;
import io.skyhaul.partners.PartnerTokenService;
import io.skyhaul.storage.ObjectInfo;
import io.skyhaul.storage.ObjectStore;
import io.skyhaul.storage.ObjectStores;
import io.skyhaul.storage.Overwrite;
import io.skyhaul.storage.StorageException;
import io.skyhaul.transfers.TransferRequest.TransferDirection;
import io.skyhaul.transport.session.TransferNode.SessionOutcome;
import io.skyhaul.transport.ticket.Direction;
import io.skyhaul.transport.ticket.SessionTicket;
import io.skyhaul.transport.ticket.TicketSealer;
import java.io.Closeable;
import java.io.IOException;
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
 * ticket, and when the node reports the session's end, has the node write the verified files to
 * storage (uploads) or has prepared them beforehand (downloads); keeps the transfer log.
 */
public final class TransferService implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(TransferService.class);
    /** A ticket must be used within this time; the transfer expires otherwise. */
    public static final Duration TICKET_LIFETIME = Duration.ofHours(1);
    /** After the session, how long the node may take to commit the last objects. */
    static final long STORAGE_FINISH_SECONDS = 3600;
    private static final Set<TransferState> OPEN = EnumSet.of(TransferState.WAITING, TransferState.PREPARING, TransferState.READY,
            TransferState.PUBLISHING);

    /** Live progress of a storage phase, kept in memory (the log has the final figures). */
    private record Live(long bytes, long startNanos, long total) {
    }

    private final TransferStore store;
    private final AccountService accounts;
    private final PartnerTokenService partners;
    private final NodeRegistry nodes;
    private final NodeAgent localNode;
    private final String localNodeId;
    private final Secrets secrets;
    private final Metrics metrics;
    private final Clock clock;
    private final ExecutorService workers = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "skyhaul-transfer-worker");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Live> live = new ConcurrentHashMap<>();

    public TransferService(Jdbi jdbi, AccountService accounts, PartnerTokenService partners, NodeRegistry nodes, NodeAgent localNode,
            String localNodeId, Secrets secrets, Metrics metrics, Clock clock) {
        this.store = new TransferStore(jdbi);
        this.accounts = accounts;
        this.partners = partners;
        this.nodes = nodes;
        this.localNode = localNode;
        this.localNodeId = localNodeId;
        this.secrets = secrets;
        this.metrics = metrics;
        this.clock = clock;
        if (localNode != null) {
            localNode.onSessionEnded(this::onSessionEnded);
        }
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
        if (actor.isPartner()) {
            token = partners.authorize(actor, direction, location, files.size(), bytes);
            if (token.maxRate() != null) {
                maxRate = maxRate == null ? token.maxRate() : Math.min(maxRate, token.maxRate());
            }
        }
        try {
            NodeView node = nodes.allocate();
            TicketSealer sealer = nodes.sealer(node.id());
            SessionTicket ticket = sealer.issue(TICKET_LIFETIME, r.direction() == TransferDirection.UPLOAD ? Direction.UPLOAD : Direction.DOWNLOAD,
                    NodeAgent.scopeOf(id));
            TransferState state = r.direction() == TransferDirection.UPLOAD ? TransferState.WAITING : TransferState.PREPARING;
            TransferRecord record = new TransferRecord(id, direction, state, actor.kind().name().toLowerCase(java.util.Locale.ROOT), actor.id(),
                    actor.name(), account.id(), account.name(), location.toString(), node.id(), node.name(), ticket.sessionIdHex(),
                    (r.overwrite() == null ? TransferRequest.OverwriteRule.ALWAYS : r.overwrite()).name().toLowerCase(java.util.Locale.ROOT)
                            .replace('_', '-'),
                    maxRate, r.policy() == null ? "fair" : r.policy().name().toLowerCase(java.util.Locale.ROOT), files.size(), bytes, 0, 0, null,
                    clock.instant(), null, null, null);
            store.insert(record, files);
            if (r.direction() == TransferDirection.UPLOAD) {
                startStreaming(record, location, files);
            }
            LOG.info("transfer {}: {} {} file(s), {} bytes, {} by {}, node {}", id, direction, files.size(), bytes, location,
                    actor.describe(), node.name());
            if (r.direction() == TransferDirection.DOWNLOAD) {
                workers.submit(() -> prepare(id));
            }
            return new TransferDetail(record, files, null, null, SessionGrant.of(node.udpAddress(), ticket, sealer.seal(ticket)));
        } catch (RuntimeException e) {
            if (token != null) {
                partners.release(token.id(), files.size(), bytes);
            }
            throw e;
        }
    }

    /** The node writes each file into storage as its bytes arrive and are verified. */
    private void startStreaming(TransferRecord t, Location location, List<TransferFile> files) {
        ObjectStore objects;
        try {
            objects = ObjectStores.open(accounts.credentials(t.accountId()), location.bucket());
        } catch (StorageException e) {
            metrics.storageError(e.error());
            store.transition(t.id(), OPEN, TransferState.FAILED, "storage: " + e.getMessage());
            throw new ApiException(ApiError.STORAGE_FAILED, "cannot open " + location + ": " + e.getMessage());
        }
        Map<String, Long> declared = new java.util.HashMap<>();
        files.forEach(f -> declared.put(f.path(), f.size()));
        live.put(t.id(), new Live(0, System.nanoTime(), t.bytesTotal()));
        localNode.expectUpload(t.id(), objects, location.prefix(), overwrite(t.overwrite()), declared,
                n -> live.computeIfPresent(t.id(), (k, l) -> new Live(n, l.startNanos, l.total)));
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

    public List<TransferRecord> list(Principal actor, String state, String actorName, String account, String direction, Instant since,
            Instant until, int limit, int offset) {
        String onlyActor = actor.isPartner() ? actor.name() : actorName;
        List<TransferRecord> all = store.list(new TransferStore.Filter(state, onlyActor, account, direction, since, until), limit, offset);
        return actor.isPartner() ? all.stream().filter(t -> t.actorId().equals(actor.id())).toList() : all;
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
        if (actor.isPartner() && !t.actorId().equals(actor.id())) {
            throw ApiException.notFound("transfer " + id);
        }
        return t;
    }

    /** Called by the node when a UDP session ends. */
    void onSessionEnded(SessionOutcome outcome) {
        TransferRecord t = store.bySession(outcome.sessionId()).orElse(null);
        if (t == null) {
            LOG.warn("session {} ended but belongs to no transfer", outcome.sessionId());
            return;
        }
        if (outcome.failure() != null) {
            if (store.transition(t.id(), OPEN, TransferState.FAILED, "UDP session failed: " + outcome.failure().getMessage())) {
                ended(t, "failed");
            }
            return;
        }
        var report = outcome.report();
        Instant started = clock.instant().minusMillis((long) (report.seconds() * 1000));
        store.sessionEnded(t.id(), started, report.bytes(), report.retransmittedBytes());
        if (t.direction().equals("download")) {
            finish(t.id(), TransferState.READY, TransferState.DONE, null);
            return;
        }
        if (!store.transition(t.id(), Set.of(TransferState.WAITING), TransferState.PUBLISHING, null)) {
            localNode.discard(t.id());
            return;
        }
        workers.submit(() -> publish(t, report.digests()));
    }

    /** The session ended well: wait until the node has committed every object it streamed, and check them against the session's digests. */
    private void publish(TransferRecord t, Map<String, String> digests) {
        try {
            List<ObjectInfo> written = localNode.finishStreaming(t.id(), STORAGE_FINISH_SECONDS);
            Location location = Location.parse(t.location());
            Map<String, String> stored = new java.util.TreeMap<>();
            for (ObjectInfo o : written) {
                stored.put(o.key().substring(location.prefix().length()), o.sha256Hex());
            }
            if (!stored.equals(new java.util.TreeMap<>(digests))) {
                throw new StorageException(io.skyhaul.storage.StorageError.INTEGRITY, "the objects stored (" + stored.size()
                        + ") do not match the files and digests of the session (" + digests.size() + ")");
            }
            store.filesDone(t.id(), stored);
            finish(t.id(), TransferState.PUBLISHING, TransferState.DONE, null);
        } catch (StorageException e) {
            metrics.storageError(e.error());
            finish(t.id(), TransferState.PUBLISHING, TransferState.FAILED, "storage: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("transfer {}: publishing failed", t.id(), e);
            localNode.abortStreaming(t.id(), "publishing failed");
            finish(t.id(), TransferState.PUBLISHING, TransferState.FAILED, "publishing failed: " + e.getMessage());
        } finally {
            live.remove(t.id());
            localNode.discard(t.id());
        }
    }

    private void prepare(String id) {
        TransferRecord t = store.byId(id).orElseThrow();
        Location location = Location.parse(t.location());
        List<TransferFile> files = store.files(id);
        live.put(id, new Live(0, System.nanoTime(), t.bytesTotal()));
        try (ObjectStore objects = ObjectStores.open(accounts.credentials(t.accountId()), location.bucket())) {
            List<ObjectInfo> wanted = files.stream().map(f -> new ObjectInfo(f.objectKey(), f.size(), null, f.sha256())).toList();
            List<NodeAgent.PreparedFile> prepared = localNode.prepareDownload(id, objects, location.prefix(), wanted,
                    n -> live.computeIfPresent(id, (k, l) -> new Live(n, l.startNanos, l.total)));
            store.replaceFiles(id, prepared.stream().map(p -> new TransferFile(p.path(), p.objectKey(), p.size(), p.sha256(), "ready")).toList(),
                    prepared.stream().mapToLong(NodeAgent.PreparedFile::size).sum());
            if (!store.transition(id, Set.of(TransferState.PREPARING), TransferState.READY, null)) {
                localNode.discard(id);
            }
        } catch (StorageException e) {
            metrics.storageError(e.error());
            failOpen(t, "storage: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.error("transfer {}: preparing the download failed", id, e);
            failOpen(t, "preparing the download failed: " + e.getMessage());
        } finally {
            live.remove(id);
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
            if (t.direction().equals("download") && localNode != null) {
                localNode.discard(id);
            }
        } else {
            ended(t, "failed");
            LOG.warn("transfer {}: failed: {}", id, error);
        }
    }

    /** Clean-up for a transfer that ended without success: its spool, and a partner's reserved usage. */
    private void ended(TransferRecord t, String outcome) {
        live.remove(t.id());
        if (localNode != null) {
            localNode.abortStreaming(t.id(), "transfer " + outcome);
            localNode.discard(t.id());
        }
        if (t.actorKind().equals("partner")) {
            partners.release(t.actorId(), t.files(), t.bytesTotal());
        }
        metrics.transferFinished(t.direction(), outcome, 0, 0, null);
    }

    /**
     * At start-up: transfers that were open on this node when the process stopped cannot go on
     * (their sessions and storage uploads died with it); they fail now rather than wait for expiry.
     */
    public int failInterrupted(String nodeId) {
        int n = 0;
        for (TransferRecord t : store.list(new TransferStore.Filter(null, null, null, null, null, null), 100_000, 0)) {
            if (nodeId.equals(t.nodeId()) && !t.state().isFinal()
                    && store.transition(t.id(), OPEN, TransferState.FAILED, "the node restarted during the transfer; start it again")) {
                ended(t, "failed");
                n++;
            }
        }
        return n;
    }

    /** Transfers whose ticket expired unused. */
    public void expireStale() {
        for (TransferRecord t : store.unstartedBefore(clock.instant().minus(TICKET_LIFETIME))) {
            if (store.transition(t.id(), Set.of(TransferState.WAITING, TransferState.READY), TransferState.EXPIRED, "the session ticket expired unused")) {
                ended(t, "expired");
            }
        }
    }

    /** Transfers not yet ended on the local node: the node's load. */
    public int openOnNode(String nodeId) {
        return (int) store.list(new TransferStore.Filter(null, null, null, null, clock.instant().minus(Duration.ofDays(2)), null), 10_000, 0)
                .stream().filter(t -> nodeId.equals(t.nodeId()) && !t.state().isFinal()).count();
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
                t.retransmittedBytes(), t.goodputMbps(), t.createdAt(), t.startedAt(), t.finishedAt(), t.error());
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
