package io.skyhaul.storage.engine;

import io.skyhaul.storage.StorageError;
import io.skyhaul.storage.StorageException;

/**
 * How an object of {@code size} bytes is cut into parts: every part {@code partSize} bytes but the
 * last. The preferred part size is used unless the backend's part-count limit forces larger parts,
 * which are then rounded up to a whole MiB. An object of 0 bytes has no parts.
 */
public record PartPlan(long size, long partSize, int partCount) {
    private static final long MIB = 1L << 20;

    public static PartPlan of(long size, long preferredPartSize, PartLimits limits) throws StorageException {
        if (size < 0) {
            throw new IllegalArgumentException("size < 0: " + size);
        }
        if (size > limits.maxObjectSize()) {
            throw new StorageException(StorageError.IO, "an object of " + size + " bytes is larger than " + limits.backend() + " accepts ("
                    + limits.maxObjectSize() + " bytes)");
        }
        long partSize = Math.min(Math.max(preferredPartSize, limits.minPartSize()), limits.maxPartSize());
        if (ceilDiv(size, partSize) > limits.maxParts()) {
            long needed = ceilDiv(size, limits.maxParts());
            partSize = Math.min(ceilDiv(needed, MIB) * MIB, limits.maxPartSize());
            if (ceilDiv(size, partSize) > limits.maxParts()) {
                partSize = needed;
            }
        }
        return new PartPlan(size, partSize, (int) ceilDiv(size, partSize));
    }

    /** Offset of part {@code n} (1-based) in the object. */
    public long offset(int n) {
        return (n - 1) * partSize;
    }

    /** Length of part {@code n} (1-based). */
    public long length(int n) {
        return Math.min(partSize, size - offset(n));
    }

    /** Throws IllegalArgumentException unless {@code n} is a part of this plan and {@code length} its exact length. */
    public void check(int n, long length) {
        if (n < 1 || n > partCount) {
            throw new IllegalArgumentException("part " + n + " is out of range: the object has " + partCount + " part(s)");
        }
        if (length != length(n)) {
            throw new IllegalArgumentException("part " + n + " must be " + length(n) + " bytes, got " + length);
        }
    }

    private static long ceilDiv(long a, long b) {
        return a == 0 ? 0 : (a - 1) / b + 1;
    }
}
