package io.skyhaul.storage.engine;

import io.skyhaul.storage.ObjectInfo;
import io.skyhaul.storage.StorageException;
import java.nio.channels.FileChannel;

/** One version of a stored object, pinned for a download: its ranges can be read concurrently. */
public interface ReadableObject extends AutoCloseable {
    ObjectInfo info();

    /**
     * Writes bytes {@code [offset, offset + length)} of the object at the same offsets of
     * {@code out}; fails (INTEGRITY) if the object changed since it was opened or gave fewer bytes.
     */
    void copyRange(long offset, long length, FileChannel out) throws StorageException;

    @Override
    default void close() {
    }
}
