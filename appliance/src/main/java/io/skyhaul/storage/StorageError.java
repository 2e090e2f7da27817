package io.skyhaul.storage;

/** What went wrong with a storage operation, in terms an operator (and the REST layer) can act on. */
public enum StorageError {
    /** The storage server refused the credentials (wrong key or secret, expired SAS, no permission). */
    AUTH_FAILED,
    /** The bucket (S3), container (Azure) or bucket directory (local) does not exist. */
    BUCKET_NOT_FOUND,
    /** The object does not exist. */
    OBJECT_NOT_FOUND,
    /** The object exists and the upload was told never to overwrite. */
    ALREADY_EXISTS,
    /** The storage server could not be reached (refused, timed out, unknown host). */
    UNREACHABLE,
    /** Bytes or digests do not match: a checksum or SHA-256 mismatch, or an incomplete upload. Nothing was committed. */
    INTEGRITY,
    /** The object key or prefix breaks the key rules (see {@link ObjectKeys}). */
    INVALID_KEY,
    /** Any other failure of the storage server or the local disk. */
    IO
}
