package io.skyhaul.storage.engine;

import io.skyhaul.storage.StorageError;
import io.skyhaul.storage.StorageException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.TreeMap;

/**
 * The SHA-256 of an object whose parts arrive in any order: a part is hashed when every earlier
 * part has been. A part that arrives ahead of a missing earlier one is copied and kept until its
 * turn, up to {@code windowBytes}; past that, its caller waits (up to {@code maxWait}) for the
 * gap to close, which bounds the memory an upload can hold. A part that comes again must carry
 * the same bytes as the first time (compared by CRC32C), else the digest would not describe the
 * object that gets committed.
 */
public final class InOrderSha256 {
    private record Waiting(byte[] bytes, int crc) {
    }

    private final PartPlan plan;
    private final long windowBytes;
    private final long maxWaitNanos;
    private final MessageDigest sha = Digests.sha256();
    private final int[] hashedCrcs;
    private final TreeMap<Integer, Waiting> ahead = new TreeMap<>();
    private long aheadBytes;
    private int next = 1;
    private byte[] result;
    private boolean closed;

    public InOrderSha256(PartPlan plan, long windowBytes, Duration maxWait) {
        this.plan = plan;
        this.windowBytes = windowBytes;
        this.maxWaitNanos = maxWait.toNanos();
        this.hashedCrcs = new int[plan.partCount()];
    }

    /**
     * Takes part {@code n} (its remaining bytes, exactly the part's length; position untouched)
     * with its CRC32C.
     */
    public synchronized void accept(int n, ByteBuffer data, int crc) throws StorageException {
        long deadline = System.nanoTime() + maxWaitNanos;
        while (true) {
            if (closed) {
                throw new StorageException(StorageError.IO, "the upload was aborted");
            }
            if (n < next) {
                requireSame(n, hashedCrcs[n - 1], crc);
                return;
            }
            Waiting already = ahead.get(n);
            if (already != null) {
                requireSame(n, already.crc(), crc);
                return;
            }
            if (n == next) {
                sha.update(data.duplicate());
                hashedCrcs[n - 1] = crc;
                next++;
                drain();
                notifyAll();
                return;
            }
            if (aheadBytes + data.remaining() <= windowBytes) {
                byte[] copy = new byte[data.remaining()];
                data.duplicate().get(copy);
                ahead.put(n, new Waiting(copy, crc));
                aheadBytes += copy.length;
                return;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new StorageException(StorageError.IO, "part " + n + " waited " + Duration.ofNanos(maxWaitNanos).toSeconds()
                        + " s for part " + next + " to arrive (parts ahead of it are kept only up to " + windowBytes + " bytes)");
            }
            try {
                wait(Math.max(1, left / 1_000_000), 0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StorageException(StorageError.IO, "interrupted while part " + n + " waited for part " + next, e);
            }
        }
    }

    /** The digest once every part has been hashed, else null. */
    public synchronized byte[] result() {
        if (result == null && next > plan.partCount() && !closed) {
            result = sha.digest();
        }
        return result == null ? null : result.clone();
    }

    /** The first part not hashed yet (partCount + 1 when all are). */
    public synchronized int next() {
        return next;
    }

    /** Drops what is kept and wakes waiting callers, who then fail. */
    public synchronized void close() {
        closed = true;
        ahead.clear();
        aheadBytes = 0;
        notifyAll();
    }

    private void drain() {
        Waiting w;
        while ((w = ahead.remove(next)) != null) {
            sha.update(w.bytes());
            hashedCrcs[next - 1] = w.crc();
            aheadBytes -= w.bytes().length;
            next++;
        }
    }

    private static void requireSame(int n, int firstCrc, int crc) throws StorageException {
        if (firstCrc != crc) {
            throw new StorageException(StorageError.INTEGRITY, "part " + n + " was sent again with different bytes (CRC32C "
                    + Integer.toHexString(firstCrc) + " then " + Integer.toHexString(crc) + ")");
        }
    }
}
