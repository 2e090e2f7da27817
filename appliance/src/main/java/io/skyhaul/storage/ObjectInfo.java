package io.skyhaul.storage;

import java.time.Instant;
import java.util.Objects;

/**
 * One stored object. {@code sha256Hex} is the SHA-256 Skyhaul stored with the object (lower-case
 * hex), or null when the object has none (written by another tool) or the listing does not return
 * it (S3 listings carry no metadata).
 */
public record ObjectInfo(String key, long size, Instant lastModified, String sha256Hex) {
    public ObjectInfo {
        Objects.requireNonNull(key, "key");
        if (size < 0) {
            throw new IllegalArgumentException("size < 0");
        }
    }
}
