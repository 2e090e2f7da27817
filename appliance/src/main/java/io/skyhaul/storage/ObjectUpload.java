package io.skyhaul.storage;

import java.nio.ByteBuffer;

/**
 * One object being written in parts. Part {@code n} (1-based) is the bytes
 * {@code [(n-1)*partSize(), min(n*partSize(), size))}. An object of 0 bytes has no parts.
 *
 * <p>After complete() or abort() has been called, or after complete() threw, the upload is over:
 * a failed complete() has aborted it, so nothing is visible and nothing is left behind.
 */
public interface ObjectUpload {
    String key();

    long size();

    /** Bytes in every part but the last, chosen from the object size within the backend's limits. */
    long partSize();

    int partCount();

    /**
     * Uploads part {@code partNumber} from the remaining bytes of {@code data} (exactly the part's
     * length; the buffer's position is not moved, and it may be reused once this returns).
     * Thread-safe: parts may arrive in any order and concurrently; a part sent again must hold the
     * same bytes. A per-part checksum goes to the store, which verifies it.
     *
     * @throws IllegalArgumentException if the part number is out of range or the length is wrong
     */
    void uploadPart(int partNumber, ByteBuffer data) throws StorageException;

    /**
     * Commits, only if every part is there and the SHA-256 of the bytes received (hashed in part
     * order as they arrived) equals {@code expectedSha256}; stores it as object metadata
     * ({@code sha256}, hex). On failure the upload is aborted: {@link StorageError#INTEGRITY} for a
     * missing part or a digest mismatch.
     */
    ObjectInfo complete(byte[] expectedSha256) throws StorageException;

    /** Aborts: no visible object, no orphaned multipart upload or committed blocks. Idempotent; never throws. */
    void abort();
}
