package io.skyhaul.storage;

/** What an upload does when an object already exists under its key. */
public enum Overwrite {
    /** Replace it. */
    ALWAYS,
    /** Fail with {@link StorageError#ALREADY_EXISTS}, checked at the start and again at the commit. */
    NEVER,
    /** Keep the stored object, and skip the upload, when its stored SHA-256 equals the new one; else replace it. */
    IF_DIFFERENT
}
