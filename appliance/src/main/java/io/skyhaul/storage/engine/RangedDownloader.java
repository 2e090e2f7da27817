package io.skyhaul.storage.engine;

import io.skyhaul.storage.ObjectInfo;
import io.skyhaul.storage.StorageError;
import io.skyhaul.storage.StorageException;
import io.skyhaul.storage.StoreSettings;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads one object into a file: ranged reads in parallel into a hidden temp file beside the
 * target, then fsync, a SHA-256 of what landed on disk checked against the stored one (when the
 * object has one), and an atomic rename. The target never holds a partial file.
 */
public final class RangedDownloader {
    private static final Logger LOG = LoggerFactory.getLogger(RangedDownloader.class);
    private static final int HASH_BUFFER = 1 << 20;
    private static final int MAX_STEM = 100;

    private RangedDownloader() {
    }

    public static ObjectInfo download(String store, ReadableObject object, Path target, StoreSettings settings, LongConsumer progressBytes)
            throws StorageException {
        ObjectInfo info = object.info();
        long start = System.nanoTime();
        Path absolute = target.toAbsolutePath();
        Path temp = absolute.resolveSibling(tempName(absolute.getFileName().toString()));
        boolean moved = false;
        try {
            Files.createDirectories(absolute.getParent());
            byte[] sha256;
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                fetchRanges(object, out, settings, new ProgressCounter(progressBytes));
                out.force(true);
                sha256 = hash(out, info.size());
            }
            String hex = Digests.hex(sha256);
            if (info.sha256Hex() != null && !info.sha256Hex().equalsIgnoreCase(hex)) {
                throw new StorageException(StorageError.INTEGRITY, "downloaded '" + info.key() + "' from " + store + " has SHA-256 " + hex + " but the object's stored SHA-256 is "
                        + info.sha256Hex() + ": the download was discarded");
            }
            moveAtomically(temp, absolute);
            moved = true;
            LOG.info("download completed: store={} key={} bytes={} sha256={} millis={} target={}", store, info.key(), info.size(), hex,
                    (System.nanoTime() - start) / 1_000_000, absolute);
            return new ObjectInfo(info.key(), info.size(), info.lastModified(), hex);
        } catch (IOException e) {
            throw new StorageException(StorageError.IO, "cannot write " + absolute + ": " + e.getMessage(), e);
        } finally {
            if (!moved) {
                deleteQuietly(temp);
            }
        }
    }

    /** Hidden, unique, and short enough for any filesystem whatever the target's name. */
    static String tempName(String targetName) {
        String stem = targetName.length() > MAX_STEM ? targetName.substring(0, MAX_STEM) : targetName;
        return "." + stem + ".skyhaul-" + UploadTarget.newUploadId() + ".part";
    }

    private static void fetchRanges(ReadableObject object, FileChannel out, StoreSettings settings, ProgressCounter progress) throws StorageException {
        long size = object.info().size();
        long rangeSize = settings.downloadRangeSize();
        long ranges = size == 0 ? 0 : (size - 1) / rangeSize + 1;
        if (ranges == 0) {
            return;
        }
        ExecutorService pool = WorkerThreads.fixed("storage-get", (int) Math.min(settings.downloadParallelism(), ranges));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Future<?>> running = new ArrayList<>();
        try {
            for (long r = 0; r < ranges; r++) {
                long offset = r * rangeSize;
                long length = Math.min(rangeSize, size - offset);
                running.add(pool.submit(() -> {
                    if (failure.get() != null) {
                        return;
                    }
                    try {
                        object.copyRange(offset, length, out);
                        progress.add(length);
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                }));
            }
            pool.shutdown();
            while (!pool.awaitTermination(100, TimeUnit.MILLISECONDS)) {
                if (failure.get() != null) {
                    pool.shutdownNow();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException(StorageError.IO, "interrupted while downloading", e);
        } finally {
            pool.shutdownNow();
        }
        FileUploader.rethrow(failure.get());
    }

    private static byte[] hash(FileChannel channel, long size) throws IOException, StorageException {
        if (channel.size() != size) {
            throw new StorageException(StorageError.INTEGRITY, "the download wrote " + channel.size() + " bytes where " + size + " were expected");
        }
        MessageDigest sha = Digests.sha256();
        ByteBuffer buffer = ByteBuffer.allocate(HASH_BUFFER);
        for (long position = 0; position < size; ) {
            buffer.clear();
            int n = channel.read(buffer, position);
            if (n < 0) {
                break;
            }
            position += n;
            sha.update(buffer.flip());
        }
        return sha.digest();
    }

    private static void moveAtomically(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the filesystem of " + target + " cannot rename atomically", e);
        }
        LocalFiles.fsyncDirectory(target.getParent());
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("could not delete the temp file {}: {}", p, e.getMessage());
        }
    }
}
