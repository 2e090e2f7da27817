package io.skyhaul.storage.local;

import io.skyhaul.storage.ObjectKeys;
import io.skyhaul.storage.StorageError;
import io.skyhaul.storage.StorageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Maps keys to paths under one bucket directory and keeps them there: "a key must never reach
 * outside the bucket directory", through {@code ..}, an absolute path, a backslash or NUL (refused
 * by {@link ObjectKeys}) or a symbolic link inside the bucket that points out of it (refused here
 * by comparing real paths). Names of Skyhaul's temp files are reserved.
 */
final class LocalPaths {
    /** Temp files of uploads in progress: hidden, and never listed. */
    static final Pattern TEMP_NAME = Pattern.compile("\\.skyhaul-[0-9a-f]{16}\\.part");
    private static final int MAX_NAME_BYTES = 255;

    private final Path bucketDir;
    private final String description;

    LocalPaths(Path bucketDir, String description) {
        this.bucketDir = bucketDir.toAbsolutePath().normalize();
        this.description = description;
    }

    static String tempName(String uploadId) {
        return ".skyhaul-" + uploadId + ".part";
    }

    /** The bucket directory's real path; BUCKET_NOT_FOUND if it is missing. */
    Path bucket() throws StorageException {
        if (!Files.isDirectory(bucketDir)) {
            throw new StorageException(StorageError.BUCKET_NOT_FOUND, "the bucket directory " + bucketDir + " of " + description
                    + " does not exist: create it, or check the account's root and the bucket name");
        }
        try {
            return bucketDir.toRealPath();
        } catch (IOException e) {
            throw new StorageException(StorageError.IO, "cannot resolve " + bucketDir + ": " + e.getMessage(), e);
        }
    }

    /** The path of {@code key} (not resolved through links), after the key rules and the reserved names. */
    Path resolve(String key) throws StorageException {
        ObjectKeys.requireValid(key);
        Path p = bucket();
        for (String segment : key.split("/")) {
            if (TEMP_NAME.matcher(segment).matches()) {
                throw new StorageException(StorageError.INVALID_KEY, "invalid object key '" + key + "': '" + segment + "' is reserved for Skyhaul's temp files");
            }
            if (segment.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
                throw new StorageException(StorageError.INVALID_KEY, "invalid object key '" + key + "': a path segment is longer than " + MAX_NAME_BYTES
                        + " bytes, which a local filesystem cannot store");
            }
            p = p.resolve(segment);
        }
        return p;
    }

    /** Fails with INVALID_KEY unless {@code existing} (a path that exists) really lies inside the bucket. */
    void requireInside(String key, Path existing) throws StorageException {
        Path bucket = bucket();
        try {
            Path real = existing.toRealPath();
            if (!real.startsWith(bucket)) {
                throw new StorageException(StorageError.INVALID_KEY, "invalid object key '" + key + "': it leads out of the bucket directory through a symbolic link");
            }
        } catch (IOException e) {
            throw new StorageException(StorageError.IO, "cannot resolve " + existing + ": " + e.getMessage(), e);
        }
    }

    /** The nearest existing ancestor of {@code p} (or p itself) must lie inside the bucket. */
    void requireAncestorsInside(String key, Path p) throws StorageException {
        Path at = p;
        while (at != null && !Files.exists(at, LinkOption.NOFOLLOW_LINKS)) {
            at = at.getParent();
        }
        if (at != null) {
            requireInside(key, at);
        }
    }
}
