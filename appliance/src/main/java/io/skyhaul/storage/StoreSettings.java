package io.skyhaul.storage;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits and tuning of the storage backends, with their defaults in one place.
 *
 * @param partSize            preferred upload part size; grown when an object would need more parts than the backend allows
 * @param downloadRangeSize   bytes per ranged read of a download
 * @param downloadParallelism ranged reads in flight per download
 * @param reorderWindowBytes  bytes of parts that arrived ahead of a missing earlier part and are kept
 *                            in memory until the in-order SHA-256 reaches them; a part beyond this waits
 * @param reorderWait         how long such a part waits for the earlier ones before its upload fails
 * @param connectTimeout      TCP connect timeout to the storage server
 * @param requestTimeout      read timeout of one request (a part, a range) to the storage server
 * @param maxAttempts         tries of one request to S3 or Azure (the first included) before it fails; retried with backoff
 * @param createLocalBucket   local backend only: create the bucket directory on open if it is missing
 *                            (off: a missing bucket directory is BUCKET_NOT_FOUND, as on S3 and Azure)
 */
public record StoreSettings(long partSize, long downloadRangeSize, int downloadParallelism, long reorderWindowBytes, Duration reorderWait,
                            Duration connectTimeout, Duration requestTimeout, int maxAttempts, boolean createLocalBucket) {
    public static final long MIB = 1L << 20;
    public static final long DEFAULT_PART_SIZE = 16 * MIB;
    public static final long DEFAULT_DOWNLOAD_RANGE_SIZE = 16 * MIB;
    public static final int DEFAULT_DOWNLOAD_PARALLELISM = 4;
    public static final long DEFAULT_REORDER_WINDOW_BYTES = 128 * MIB;
    public static final Duration DEFAULT_REORDER_WAIT = Duration.ofMinutes(5);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(120);
    public static final int DEFAULT_MAX_ATTEMPTS = 4;

    public StoreSettings {
        if (partSize < 1 || downloadRangeSize < 1 || reorderWindowBytes < 0) {
            throw new IllegalArgumentException("sizes must be positive");
        }
        if (downloadParallelism < 1 || downloadParallelism > UploadOptions.MAX_PARALLELISM) {
            throw new IllegalArgumentException("downloadParallelism must be between 1 and " + UploadOptions.MAX_PARALLELISM);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        Objects.requireNonNull(reorderWait, "reorderWait");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
    }

    public static StoreSettings defaults() {
        return new StoreSettings(DEFAULT_PART_SIZE, DEFAULT_DOWNLOAD_RANGE_SIZE, DEFAULT_DOWNLOAD_PARALLELISM, DEFAULT_REORDER_WINDOW_BYTES,
                DEFAULT_REORDER_WAIT, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT,
                DEFAULT_MAX_ATTEMPTS, false);
    }

    public StoreSettings withPartSize(long value) {
        return new StoreSettings(value, downloadRangeSize, downloadParallelism, reorderWindowBytes, reorderWait, connectTimeout, requestTimeout, maxAttempts, createLocalBucket);
    }

    public StoreSettings withDownloadRangeSize(long value) {
        return new StoreSettings(partSize, value, downloadParallelism, reorderWindowBytes, reorderWait, connectTimeout, requestTimeout, maxAttempts, createLocalBucket);
    }

    public StoreSettings withDownloadParallelism(int value) {
        return new StoreSettings(partSize, downloadRangeSize, value, reorderWindowBytes, reorderWait, connectTimeout, requestTimeout, maxAttempts, createLocalBucket);
    }

    public StoreSettings withReorderWindow(long bytes, Duration wait) {
        return new StoreSettings(partSize, downloadRangeSize, downloadParallelism, bytes, wait, connectTimeout, requestTimeout, maxAttempts, createLocalBucket);
    }

    public StoreSettings withTimeouts(Duration connect, Duration request) {
        return new StoreSettings(partSize, downloadRangeSize, downloadParallelism, reorderWindowBytes, reorderWait, connect, request, maxAttempts, createLocalBucket);
    }

    public StoreSettings withMaxAttempts(int value) {
        return new StoreSettings(partSize, downloadRangeSize, downloadParallelism, reorderWindowBytes, reorderWait, connectTimeout, requestTimeout, value,
                createLocalBucket);
    }

    public StoreSettings withCreateLocalBucket(boolean value) {
        return new StoreSettings(partSize, downloadRangeSize, downloadParallelism, reorderWindowBytes, reorderWait, connectTimeout, requestTimeout, maxAttempts, value);
    }
}
