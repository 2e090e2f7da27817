package io.skyhaul.storage;

import java.io.Closeable;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * One bucket (S3), container (Azure) or bucket directory (local) of one storage account. Open one
 * with {@link ObjectStores#open}. Thread-safe: many uploads and downloads may run at once.
 *
 * <p>Keys follow {@link ObjectKeys}. Progress consumers receive the running total of bytes moved so
 * far (monotonic), possibly from several threads, one call at a time.
 */
public interface ObjectStore extends Closeable {
    /** Begins writing object {@code key} of {@code size} bytes. Nothing is visible under {@code key} until complete() succeeds. */
    default ObjectUpload beginUpload(String key, long size, UploadOptions options) throws StorageException {
        return beginUpload(key, size, null, options);
    }

    /**
     * As {@link #beginUpload(String, long, UploadOptions)}, with the object's SHA-256 when the caller
     * knows it before the bytes arrive (null if not): the S3 backend then stores it with the
     * multipart upload up front instead of re-stamping the object after the commit, and
     * {@link Overwrite#IF_DIFFERENT} can skip at once. complete() still verifies the bytes against it.
     */
    ObjectUpload beginUpload(String key, long size, byte[] expectedSha256, UploadOptions options) throws StorageException;

    /**
     * Uploads a whole local file with parts in parallel, verifying its SHA-256 against
     * {@code expectedSha256} (null: no expectation, the digest of the bytes read is stored), then
     * completes; aborts on any failure. Returns the stored object (the existing one when
     * {@link Overwrite#IF_DIFFERENT} skipped the upload).
     */
    ObjectInfo putFile(String key, Path file, byte[] expectedSha256, UploadOptions options, LongConsumer progressBytes) throws StorageException;

    /**
     * Downloads the object into {@code target} (temp file beside it, then an atomic rename; parallel
     * ranged reads), verified against the stored SHA-256 when the object has one. The returned
     * info carries the SHA-256 of the bytes written.
     */
    ObjectInfo download(String key, Path target, LongConsumer progressBytes) throws StorageException;

    /** The object under {@code key}, or empty if there is none. */
    Optional<ObjectInfo> stat(String key) throws StorageException;

    /** Every object under {@code prefix} (a plain string prefix of the key; "" for all), paging handled inside; sorted by key. */
    List<ObjectInfo> list(String prefix) throws StorageException;

    /**
     * Aborts the uploads of {@code key} that were begun and never completed nor aborted, e.g. by
     * a node killed in the middle of one; returns how many. Nothing visible changes. Backends
     * whose unfinished uploads leave nothing behind in the store (Azure's uncommitted blocks are
     * discarded by the service; a local upload's temporary file is on the node) do nothing.
     */
    default int abortIncompleteUploads(String key) throws StorageException {
        return 0;
    }

    /**
     * Deletes the object {@code key}; true when there was one, false when there was none (not an
     * error: a mirror deleting what is already gone). Unfinished uploads of the key are left to
     * {@link #abortIncompleteUploads}.
     */
    boolean delete(String key) throws StorageException;

    /** Proves the credentials and bucket work; a clear StorageException otherwise. */
    void testConnection() throws StorageException;

    /** The account and bucket this store writes to, for messages and logs (no secret). */
    String describe();

    /** Releases the connections and threads this store holds. Uploads still open are not aborted. */
    @Override
    void close();
}
