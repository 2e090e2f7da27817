package io.skyhaul.gateway.hotfolder;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One regular file as a scan saw it. Two sightings are the same version when size, mtime and
 * file key are equal ({@link #sameVersionAs}).
 *
 * @param relativePath '/'-separated, relative to the hot folder root
 * @param size bytes
 * @param lastModified mtime
 * @param fileKey the filesystem's identity of the file (device and inode on Linux), when it has one
 */
public record ScannedFile(String relativePath, long size, Instant lastModified, Optional<String> fileKey) {
    public ScannedFile {
        Objects.requireNonNull(relativePath, "relativePath");
        Objects.requireNonNull(lastModified, "lastModified");
        Objects.requireNonNull(fileKey, "fileKey");
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative, got " + size);
        }
    }

    /** Same size, mtime and file key: nothing has been written to or replaced this file in between. */
    public boolean sameVersionAs(ScannedFile other) {
        return size == other.size && lastModified.equals(other.lastModified) && fileKey.equals(other.fileKey);
    }
}
