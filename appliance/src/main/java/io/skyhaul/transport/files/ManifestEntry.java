package io.skyhaul.transport.files;

/**
 * One item of a transfer: a regular file (with its size) or a directory, named by a relative
 * path with '/' separators.
 */
public record ManifestEntry(String path, boolean directory, long size, long modifiedMillis) {
    public ManifestEntry {
        if (size < 0 || directory && size != 0) {
            throw new IllegalArgumentException("bad size " + size + " for " + path);
        }
    }
}
