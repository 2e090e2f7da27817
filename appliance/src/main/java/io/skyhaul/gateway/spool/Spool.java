package io.skyhaul.gateway.spool;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's crash-safe upload buffer. A body is acknowledged ({@link #accept} returns) only
 * once it and its log record are on disk, so a {@code kill -9} at any moment loses no
 * acknowledged file; {@link #open} rebuilds exactly the acknowledged state from the log.
 *
 * <p>Thread-safe: many receivers call {@link #accept} at once while the uploader moves entries
 * through {@link #uploading}, {@link #retry}, {@link #uploaded} and {@link #failed}. Every state
 * change is validated, written to the log and applied under one lock (so log order is state
 * order), then awaited outside it, where fsyncs of concurrent callers are grouped.
 *
 * <p>An entry whose record is written but not yet durable is invisible ({@link #pending},
 * {@link #get}): the uploader never starts on something a crash could still take back.
 */
public final class Spool implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(Spool.class);

    private final SpoolLayout layout;
    private final SpoolLimits limits;
    private final Clock clock;
    private final WriteAheadLog wal;
    private final SpoolDirectoryLock dirLock;
    private final RecoveryReport recoveryReport;
    private final BodyDisposal bodies;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition capacityFreed = lock.newCondition();
    // Guarded by lock:
    private final SpoolIndex index;
    private final SpoolCapacity capacity;
    private final Set<String> receiving = new HashSet<>();
    private final Set<String> committing = new HashSet<>();
    private long compactionRetryAtRecords;
    private boolean closed;

    Spool(SpoolLayout layout, SpoolLimits limits, Clock clock, WriteAheadLog wal, SpoolDirectoryLock dirLock, SpoolIndex index,
            RecoveryReport recoveryReport) {
        this.layout = layout;
        this.limits = limits;
        this.clock = clock;
        this.wal = wal;
        this.dirLock = dirLock;
        this.index = index;
        this.recoveryReport = recoveryReport;
        this.capacity = new SpoolCapacity(limits);
        this.bodies = new BodyDisposal(layout, this::released);
    }

    /**
     * Opens (creating) the spool in {@code dir}, recovering from its log: unacknowledged partial
     * bodies are deleted, acknowledged entries come back in their order and state, a torn last
     * record is cut off; see {@link #recoveryReport()}.
     *
     * @throws SpoolCorruptException when the log is damaged other than at its tail
     */
    public static Spool open(Path dir, SpoolLimits limits, Clock clock) throws IOException {
        Spool spool = SpoolRecovery.open(new SpoolLayout(dir), Objects.requireNonNull(limits, "limits"), Objects.requireNonNull(clock, "clock"));
        spool.compactIfDue();
        return spool;
    }

    /**
     * Reads exactly {@code size} bytes of {@code body} into the spool and returns once they and
     * their log record are durable. Capacity is reserved before the first byte is read; without
     * it the call fails at once having read nothing. {@code body} must end after the body (as a
     * request body with a Content-Length does): one more byte is read to refuse a longer one.
     *
     * @param expectedSha256Hex the digest the body must have, or null to take it as it comes
     * @throws SpoolFullException    no room for it now (bytes, files or writers); carries a retry-after
     * @throws SpoolRefusedException wrong length or digest, bad name, larger than the whole spool; nothing is left behind
     */
    public SpoolEntry accept(String location, String path, long size, String expectedSha256Hex, InputStream body)
            throws IOException, SpoolFullException, SpoolRefusedException {
        Objects.requireNonNull(body, "body");
        SpoolArguments.checkBody(location, path, size, expectedSha256Hex, limits.maxBytes());
        String id = reserve(size);
        SpoolEntry entry;
        long seq;
        try {
            String sha = IncomingBody.receive(body, size, expectedSha256Hex, layout.part(id), layout.dataFile(id));
            entry = new SpoolEntry(id, location, path, size, sha, clock.instant(), SpoolEntry.State.QUEUED, null, null, 0, null);
            seq = record(entry);
        } catch (SpoolRefusedException e) {
            LOG.info("spool {}: refused a body for {} {}: {}", id, location, SpoolArguments.oneLine(path), e.getMessage());
            throw e;
        } catch (IOException e) {
            LOG.info("spool {}: receiving a body for {} {} failed, nothing kept: {}", id, location, SpoolArguments.oneLine(path), e.toString());
            throw e;
        } finally {
            endReservation(id, size);
        }
        wal.awaitDurable(seq);
        lock.lock();
        try {
            committing.remove(id);
        } finally {
            lock.unlock();
        }
        LOG.info("spool {}: accepted {} bytes for {} {} (sha256 {})", id, size, location, SpoolArguments.oneLine(path), entry.sha256Hex());
        compactIfDue();
        return entry;
    }

    /** Acknowledged entries not yet uploaded (QUEUED and UPLOADING), in acceptance order. */
    public List<SpoolEntry> pending() {
        lock.lock();
        try {
            return index.entries().stream().filter(e -> !committing.contains(e.id())).toList();
        } finally {
            lock.unlock();
        }
    }

    public Optional<SpoolEntry> get(String id) {
        lock.lock();
        try {
            return committing.contains(id) ? Optional.empty() : Optional.ofNullable(index.get(id));
        } finally {
            lock.unlock();
        }
    }

    /**
     * The uploader started an upload of these pending entries: transfer {@code transferId}, or,
     * before the manager has named one, the uploader's batch {@code clientRef} (by which it finds
     * the transfer after a crash). They are UPLOADING from now on, restarts included.
     */
    public void uploading(List<String> ids, String transferId, String clientRef) throws IOException {
        SpoolArguments.checkRef("transferId", transferId, true);
        SpoolArguments.checkRef("clientRef", clientRef, true);
        if (transferId == null && clientRef == null) {
            throw new IllegalArgumentException("an upload needs its transfer id or the uploader's client reference");
        }
        List<String> batch = List.copyOf(ids);
        change(batch, new WalRecord.Uploading(batch, transferId, clientRef));
        batch.forEach(id -> LOG.info("spool {}: uploading in {}", id, transferId != null ? "transfer " + transferId
                + (clientRef == null ? "" : " (" + clientRef + ")") : "batch " + clientRef));
        compactIfDue();
    }

    /** An upload attempt for these pending entries ended without success: they are QUEUED again, with one more attempt and this error. */
    public void retry(List<String> ids, String error) throws IOException {
        List<String> batch = List.copyOf(ids);
        String why = SpoolArguments.reason(error);
        change(batch, new WalRecord.Retry(batch, why));
        batch.forEach(id -> LOG.info("spool {}: upload attempt failed, queued again: {}", id, SpoolArguments.oneLine(why)));
        compactIfDue();
    }

    /**
     * These entries are at their destination: recorded durably first, then their data files are
     * deleted and the space released. Ids no longer pending (already uploaded) are ignored.
     */
    public void uploaded(List<String> ids, String transferId) throws IOException {
        SpoolArguments.checkRef("transferId", transferId, false);
        SpoolIndex.Removed removed;
        long seq;
        lock.lock();
        try {
            checkOpen();
            List<String> live = ids.stream().distinct().filter(id -> index.get(id) != null && !committing.contains(id)).toList();
            if (live.isEmpty()) {
                LOG.debug("spool: uploaded({}) in transfer {}: none of them is pending any more", ids, transferId);
                return;
            }
            WalRecord.Uploaded record = new WalRecord.Uploaded(live, transferId);
            seq = wal.append(record);
            removed = index.apply(record);
            removed.entries().forEach(e -> capacity.releasing(e.size()));
        } finally {
            lock.unlock();
        }
        wal.awaitDurable(seq);
        for (SpoolEntry e : removed.entries()) {
            bodies.delete(e, "uploaded in transfer " + transferId, false);
        }
        compactIfDue();
    }

    /**
     * Gives up on a pending entry (the destination refused it): it leaves the queue for the list
     * of recent failures, its body moved to {@code failed/} or deleted ({@link SpoolLimits#keepFailedBodies()}).
     * Giving up on an entry already given up is a no-op.
     */
    public void failed(String id, String reason) throws IOException {
        String why = SpoolArguments.reason(reason);
        SpoolIndex.Removed removed;
        SpoolFailure failure;
        long seq;
        lock.lock();
        try {
            checkOpen();
            if (index.isFailed(id)) {
                return;
            }
            requireVisible(List.of(id));
            failure = SpoolFailure.of(index.get(id), clock.instant(), why, limits.keepFailedBodies());
            WalRecord.Failed record = new WalRecord.Failed(failure);
            seq = wal.append(record);
            removed = index.apply(record);
            capacity.releasing(failure.size());
        } finally {
            lock.unlock();
        }
        wal.awaitDurable(seq);
        SpoolEntry entry = removed.entries().get(0);
        String what = "given up after " + entry.attempts() + " failed attempts (" + SpoolArguments.oneLine(why) + ")";
        if (failure.bodyKept()) {
            bodies.keep(entry, what);
        } else {
            bodies.delete(entry, what, true);
        }
        removed.evictedFailures().stream().filter(SpoolFailure::bodyKept).forEach(old -> bodies.deleteEvicted(old, limits.maxRecentFailures()));
        compactIfDue();
    }

    /** Where the body of pending entry {@code id} is, for the uploader to read. */
    public Path dataFile(String id) {
        if (get(id).isEmpty()) {
            throw new IllegalArgumentException("no pending spool entry " + id);
        }
        return layout.dataFile(id);
    }

    /** Recent failures, oldest first, at most {@link SpoolLimits#maxRecentFailures()}. */
    public List<SpoolFailure> recentFailures() {
        lock.lock();
        try {
            return index.failures();
        } finally {
            lock.unlock();
        }
    }

    /** Where a given-up entry's kept body is, if it was kept and is still remembered. */
    public Optional<Path> failedBody(String id) {
        lock.lock();
        try {
            boolean kept = index.failures().stream().anyMatch(f -> f.id().equals(id) && f.bodyKept());
            return kept ? Optional.of(layout.failedFile(id)) : Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    public SpoolUsage usage() {
        lock.lock();
        try {
            return capacity.usage(index.bytes(), index.files());
        } finally {
            lock.unlock();
        }
    }

    /** What {@link #open} found and repaired. */
    public RecoveryReport recoveryReport() {
        return recoveryReport;
    }

    /**
     * For a client that would rather wait than be refused: waits until a body of {@code size}
     * would be taken, or {@code timeout} passes. Reserves nothing, so a concurrent client may take
     * the room first; {@link #accept} still decides.
     *
     * @return whether there was room when it returned (false after a timeout or close)
     */
    public boolean awaitCapacity(long size, Duration timeout) throws InterruptedException {
        long left = timeout.toNanos();
        lock.lock();
        try {
            while (!closed && capacity.refusal(size, index.bytes(), index.files()) != null) {
                if (left <= 0) {
                    return false;
                }
                left = capacityFreed.awaitNanos(left);
            }
            return !closed;
        } finally {
            lock.unlock();
        }
    }

    /** Closes the log; bodies still being received fail (nobody was told they were kept), everything acknowledged is on disk already. */
    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            capacityFreed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            wal.close();
        } finally {
            dirLock.close();
        }
        LOG.info("spool {} closed", layout.dir());
    }

    private String reserve(long size) throws SpoolFullException {
        lock.lock();
        try {
            checkOpen();
            String full = capacity.refusal(size, index.bytes(), index.files());
            if (full != null) {
                LOG.info("spool: refused a body of {} bytes: {}", size, full);
                throw new SpoolFullException(full, limits.retryAfter());
            }
            String id;
            do {
                id = layout.newId();
            } while (index.contains(id) || receiving.contains(id));
            receiving.add(id);
            capacity.reserve(size);
            return id;
        } finally {
            lock.unlock();
        }
    }

    /** Logs the received body and turns its reservation into an entry, atomically; the entry stays invisible until durable. */
    private long record(SpoolEntry entry) throws IOException {
        lock.lock();
        try {
            if (closed) {
                Files.deleteIfExists(layout.dataFile(entry.id()));
                throw new IOException("the spool was closed while body " + entry.id() + " was being received");
            }
            WalRecord.Entry record = new WalRecord.Entry(entry);
            long seq = wal.append(record);
            index.apply(record);
            committing.add(entry.id());
            endReservation(entry.id(), entry.size());
            return seq;
        } finally {
            lock.unlock();
        }
    }

    private void endReservation(String id, long size) {
        lock.lock();
        try {
            if (receiving.remove(id)) {
                capacity.unreserve(size);
                capacityFreed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Validates, logs and applies one change to pending entries; returns once it is durable. */
    private void change(List<String> ids, WalRecord record) throws IOException {
        long seq;
        lock.lock();
        try {
            checkOpen();
            requireVisible(ids);
            seq = wal.append(record);
            index.apply(record);
        } finally {
            lock.unlock();
        }
        wal.awaitDurable(seq);
    }

    private void requireVisible(List<String> ids) {
        index.requireLive(ids);
        for (String id : ids) {
            if (committing.contains(id)) {
                throw new IllegalArgumentException("no pending spool entry " + id + " (its acceptance is not durable yet)");
            }
        }
    }

    private void released(long size) {
        lock.lock();
        try {
            capacity.released(size);
            capacityFreed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Rewrites the log to the live state once dead records dominate; a failure is logged and retried later, the spool goes on. */
    void compactIfDue() {
        lock.lock();
        try {
            long records = wal.records();
            long live = index.liveRecords();
            long dead = records - live;
            if (closed || dead < limits.compactionMinDeadRecords() || dead <= live || records < compactionRetryAtRecords) {
                return;
            }
            try {
                wal.rewrite(index.snapshot());
                LOG.info("spool: write-ahead log {} compacted from {} to {} records", wal.file(), records, live);
            } catch (IOException e) {
                compactionRetryAtRecords = records + limits.compactionMinDeadRecords();
                LOG.error("spool: compacting write-ahead log {} failed; it grows until the next attempt", wal.file(), e);
            }
        } finally {
            lock.unlock();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the spool in " + layout.dir() + " is closed");
        }
    }
}
