package io.skyhaul.storage.engine;

import io.skyhaul.storage.ObjectInfo;
import io.skyhaul.storage.ObjectKeys;
import io.skyhaul.storage.ObjectStore;
import io.skyhaul.storage.ObjectUpload;
import io.skyhaul.storage.Overwrite;
import io.skyhaul.storage.StorageError;
import io.skyhaul.storage.StorageException;
import io.skyhaul.storage.UploadOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ObjectStore#putFile} for every backend, on top of beginUpload/uploadPart/complete (so it
 * also runs through decorators). One reader goes through the file front to back, hashing it
 * ({@link HashingFileReader}), and hands each part to a pool of {@code parallelism} uploaders;
 * with {@code parallelism + 1} part buffers, reading never runs further ahead than that. The
 * upload completes only if the file's SHA-256 equals the expected one; any failure aborts it.
 */
public final class FileUploader {
    private static final Logger LOG = LoggerFactory.getLogger(FileUploader.class);
    private static final long POLL_MILLIS = 100;

    private FileUploader() {
    }

    public static ObjectInfo put(ObjectStore store, String key, Path file, byte[] expectedSha256, UploadOptions options, LongConsumer progressBytes)
            throws StorageException {
        ObjectKeys.requireValid(key);
        long size = sizeOf(file);
        if (options.overwrite() == Overwrite.IF_DIFFERENT && expectedSha256 != null) {
            Optional<ObjectInfo> same = store.stat(key).filter(info -> Digests.hex(expectedSha256).equals(info.sha256Hex()));
            if (same.isPresent()) {
                LOG.info("put skipped: store={} key={} already holds sha256={}", store.describe(), key, same.get().sha256Hex());
                return same.get();
            }
        }
        ObjectUpload upload = store.beginUpload(key, size, expectedSha256, options);
        try {
            byte[] sha256 = sendParts(upload, file, options.parallelism(), new ProgressCounter(progressBytes));
            if (expectedSha256 != null && !Arrays.equals(sha256, expectedSha256)) {
                throw new StorageException(StorageError.INTEGRITY, file + " has SHA-256 " + Digests.hex(sha256) + " but " + Digests.hex(expectedSha256)
                        + " was expected: nothing was committed under '" + key + "'");
            }
            return upload.complete(sha256);
        } catch (StorageException | RuntimeException e) {
            upload.abort();
            throw e;
        }
    }

    private static byte[] sendParts(ObjectUpload upload, Path file, int parallelism, ProgressCounter progress) throws StorageException {
        int parts = upload.partCount();
        try (HashingFileReader reader = new HashingFileReader(file, upload.size())) {
            if (parts == 0) {
                return reader.finish();
            }
            int threads = Math.min(parallelism, parts);
            int bufferSize = (int) Math.min(upload.partSize(), upload.size());
            if (upload.partSize() > Integer.MAX_VALUE - 16 && parts > 1) {
                throw new StorageException(StorageError.IO, "parts of " + upload.partSize() + " bytes do not fit in memory buffers: object too large for putFile");
            }
            BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(threads + 1);
            for (int i = 0; i <= threads; i++) {
                free.add(ByteBuffer.allocate(bufferSize));
            }
            AtomicReference<Throwable> failure = new AtomicReference<>();
            ExecutorService pool = WorkerThreads.fixed("storage-put", threads);
            try {
                for (int n = 1; n <= parts && failure.get() == null; n++) {
                    ByteBuffer buffer = takeBuffer(free, failure);
                    if (buffer == null) {
                        break;
                    }
                    int length = (int) Math.min(upload.partSize(), upload.size() - (n - 1) * upload.partSize());
                    buffer.clear().limit(length);
                    reader.readFully(buffer);
                    int part = n;
                    pool.execute(() -> {
                        try {
                            upload.uploadPart(part, buffer);
                            progress.add(length);
                        } catch (Throwable t) {
                            failure.compareAndSet(null, t);
                        } finally {
                            free.add(buffer);
                        }
                    });
                }
                pool.shutdown();
                awaitPool(pool, failure);
            } finally {
                pool.shutdownNow();
            }
            rethrow(failure.get());
            return reader.finish();
        }
    }

    private static ByteBuffer takeBuffer(BlockingQueue<ByteBuffer> free, AtomicReference<Throwable> failure) throws StorageException {
        try {
            ByteBuffer b = null;
            while (b == null && failure.get() == null) {
                b = free.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
            }
            return b;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException(StorageError.IO, "interrupted while uploading", e);
        }
    }

    private static void awaitPool(ExecutorService pool, AtomicReference<Throwable> failure) throws StorageException {
        try {
            while (!pool.awaitTermination(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                if (failure.get() != null) {
                    pool.shutdownNow();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException(StorageError.IO, "interrupted while uploading", e);
        }
    }

    static void rethrow(Throwable t) throws StorageException {
        if (t == null) {
            return;
        }
        if (t instanceof StorageException se) {
            throw se;
        }
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error err) {
            throw err;
        }
        throw new StorageException(StorageError.IO, t.toString(), t);
    }

    private static long sizeOf(Path file) throws StorageException {
        try {
            if (!Files.isRegularFile(file)) {
                throw new StorageException(StorageError.IO, file + " is not a regular file");
            }
            return Files.size(file);
        } catch (IOException e) {
            throw new StorageException(StorageError.IO, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
