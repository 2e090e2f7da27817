package io.skyhaul.storage.engine;

import io.skyhaul.storage.ObjectInfo;
import io.skyhaul.storage.ObjectUpload;
import io.skyhaul.storage.Overwrite;
import io.skyhaul.storage.StorageError;
import io.skyhaul.storage.StorageException;
import io.skyhaul.storage.StoreSettings;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every backend's upload shares: part checks, the in-order SHA-256, the record of parts
 * sent, the overwrite rule and the one-way life cycle (open, then completed or aborted). A
 * backend supplies how a part is sent ({@link #sendPart}), how the object is committed
 * ({@link #commit}) and how a begun upload is discarded ({@link #discard}).
 *
 * <p>abort() waits for parts still being sent, so that no part lands after the discard (an S3
 * part that finishes after AbortMultipartUpload would be orphaned).
 *
 * @param <R> what the store answers for a part (an ETag, a block id), needed to commit
 */
public abstract class MultipartUpload<R> implements ObjectUpload {
    private static final Logger LOG = LoggerFactory.getLogger(MultipartUpload.class);

    private enum State { OPEN, COMPLETING, COMPLETED, ABORTED }

    protected final UploadTarget target;
    private final InOrderSha256 digest;
    private final AtomicReferenceArray<R> receipts;
    private final ReentrantReadWriteLock sending = new ReentrantReadWriteLock();
    private final Object lifecycle = new Object();
    private final long startNanos = System.nanoTime();
    private volatile State state = State.OPEN;

    protected MultipartUpload(UploadTarget target, StoreSettings settings) {
        this.target = target;
        this.digest = new InOrderSha256(target.plan(), settings.reorderWindowBytes(), settings.reorderWait());
        this.receipts = new AtomicReferenceArray<>(target.plan().partCount());
    }

    /** Sends part {@code n}: {@code data} holds exactly its bytes; {@code crc32c} is their CRC32C. Called concurrently. */
    protected abstract R sendPart(int n, ByteBuffer data, int crc32c) throws StorageException;

    /** Makes the object visible with {@code sha256} as metadata; if {@code mustNotExist}, fails with ALREADY_EXISTS when it exists. */
    protected abstract ObjectInfo commit(List<R> parts, byte[] sha256, boolean mustNotExist) throws StorageException;

    /** Throws away what was sent. Best effort: logs what it could not clean, never throws. */
    protected abstract void discard();

    /** The object stored under the key now, with its SHA-256 if it can be had. */
    protected abstract Optional<ObjectInfo> existing() throws StorageException;

    @Override
    public String key() {
        return target.key();
    }

    @Override
    public long size() {
        return target.plan().size();
    }

    @Override
    public long partSize() {
        return target.plan().partSize();
    }

    @Override
    public int partCount() {
        return target.plan().partCount();
    }

    public String uploadId() {
        return target.uploadId();
    }

    @Override
    public final void uploadPart(int partNumber, ByteBuffer data) throws StorageException {
        target.plan().check(partNumber, data.remaining());
        requireOpen();
        ByteBuffer view = data.duplicate();
        int crc = Digests.crc32c(view);
        digest.accept(partNumber, view.duplicate(), crc);
        sending.readLock().lock();
        try {
            requireOpen();
            receipts.set(partNumber - 1, sendPart(partNumber, view.duplicate(), crc));
        } catch (StorageException | RuntimeException e) {
            LOG.warn("upload {} part {} of {} failed: store={} key={}: {}", target.uploadId(), partNumber, partCount(), target.store(), target.key(),
                    e.getMessage());
            throw e;
        } finally {
            sending.readLock().unlock();
        }
    }

    @Override
    public final ObjectInfo complete(byte[] expectedSha256) throws StorageException {
        if (expectedSha256 == null || expectedSha256.length != 32) {
            throw new IllegalArgumentException("complete() needs the expected SHA-256 (32 bytes)");
        }
        synchronized (lifecycle) {
            if (state != State.OPEN) {
                throw new IllegalStateException("upload " + target.uploadId() + " of " + target.key() + " is already " + state.name().toLowerCase());
            }
            state = State.COMPLETING;
        }
        sending.writeLock().lock();
        try {
            byte[] sha256 = verifiedDigest(expectedSha256);
            Optional<ObjectInfo> skip = skipBecauseIdentical(sha256);
            if (skip.isPresent()) {
                discard();
                finish(State.COMPLETED);
                LOG.info("upload {} skipped: store={} key={} already holds sha256={}", target.uploadId(), target.store(), target.key(), Digests.hex(sha256));
                return skip.get();
            }
            boolean mustNotExist = target.options().overwrite() == Overwrite.NEVER;
            if (mustNotExist && existing().isPresent()) {
                throw alreadyExists();
            }
            ObjectInfo info = commit(collectReceipts(), sha256, mustNotExist);
            finish(State.COMPLETED);
            LOG.info("upload {} completed: store={} key={} bytes={} parts={} sha256={} millis={}", target.uploadId(), target.store(), target.key(),
                    size(), partCount(), info.sha256Hex(), (System.nanoTime() - startNanos) / 1_000_000);
            return info;
        } catch (StorageException | RuntimeException e) {
            LOG.warn("upload {} not committed, aborting: store={} key={}: {}", target.uploadId(), target.store(), target.key(), e.getMessage());
            digest.close();
            discard();
            finish(State.ABORTED);
            throw e;
        } finally {
            sending.writeLock().unlock();
        }
    }

    @Override
    public final void abort() {
        synchronized (lifecycle) {
            if (state != State.OPEN) {
                return;
            }
            state = State.ABORTED;
        }
        digest.close();
        sending.writeLock().lock();
        try {
            discard();
            LOG.info("upload {} aborted: store={} key={}", target.uploadId(), target.store(), target.key());
        } finally {
            sending.writeLock().unlock();
        }
    }

    protected StorageException alreadyExists() {
        return new StorageException(StorageError.ALREADY_EXISTS, "an object already exists under '" + target.key() + "' in " + target.store()
                + " and the upload was told never to overwrite: delete it first or choose another overwrite rule");
    }

    private byte[] verifiedDigest(byte[] expected) throws StorageException {
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < receipts.length() && missing.size() < 10; i++) {
            if (receipts.get(i) == null) {
                missing.add(i + 1);
            }
        }
        if (!missing.isEmpty()) {
            throw new StorageException(StorageError.INTEGRITY, "cannot commit '" + target.key() + "': part(s) " + missing + " of " + partCount()
                    + " were never stored");
        }
        byte[] actual = digest.result();
        if (actual == null) {
            throw new StorageException(StorageError.INTEGRITY, "cannot commit '" + target.key() + "': part " + digest.next() + " was never hashed");
        }
        if (!Arrays.equals(actual, expected)) {
            throw new StorageException(StorageError.INTEGRITY, "the SHA-256 of the bytes received for '" + target.key() + "' is " + Digests.hex(actual)
                    + " but " + Digests.hex(expected) + " was expected: nothing was committed");
        }
        if (target.expectedSha256() != null && !Arrays.equals(actual, target.expectedSha256())) {
            throw new StorageException(StorageError.INTEGRITY, "the SHA-256 of the bytes received for '" + target.key() + "' is " + Digests.hex(actual)
                    + " but " + Digests.hex(target.expectedSha256()) + " was announced when the upload began: nothing was committed");
        }
        return actual;
    }

    private Optional<ObjectInfo> skipBecauseIdentical(byte[] sha256) throws StorageException {
        if (target.options().overwrite() != Overwrite.IF_DIFFERENT) {
            return Optional.empty();
        }
        return existing().filter(info -> Digests.hex(sha256).equals(info.sha256Hex()));
    }

    private List<R> collectReceipts() {
        List<R> parts = new ArrayList<>(receipts.length());
        for (int i = 0; i < receipts.length(); i++) {
            parts.add(receipts.get(i));
        }
        return parts;
    }

    private void requireOpen() throws StorageException {
        State s = state;
        if (s != State.OPEN) {
            throw new StorageException(StorageError.IO, "upload " + target.uploadId() + " of '" + target.key() + "' is " + s.name().toLowerCase()
                    + ": no more parts can be sent");
        }
    }

    private void finish(State end) {
        synchronized (lifecycle) {
            state = end;
        }
    }
}
