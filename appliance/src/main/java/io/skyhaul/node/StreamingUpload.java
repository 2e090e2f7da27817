package io.skyhaul.node;

import io.skyhaul.storage.ObjectInfo;
import io.skyhaul.storage.ObjectStore;
import io.skyhaul.storage.ObjectUpload;
import io.skyhaul.storage.StorageError;
import io.skyhaul.storage.StorageException;
import io.skyhaul.storage.UploadOptions;
import io.skyhaul.transport.files.ReceiveTap;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams an upload on into object storage while it is being received: the transport's verifier
 * hands over each file's bytes in order, they are cut into the store's parts and uploaded
 * {@link #PARTS_IN_FLIGHT} at a time, and each object is committed with the SHA-256 the
 * transport computed — which the store's own in-order hash of the parts must match. Only the
 * files the transfer declared, with their declared sizes, are accepted. Any failure aborts every
 * object not yet committed and is reported by {@link #finish}.
 */
final class StreamingUpload implements ReceiveTap {
    private static final Logger LOG = LoggerFactory.getLogger(StreamingUpload.class);
    /** Parts being uploaded at once; one more is being filled. Memory: (this + 1) × part size. */
    static final int PARTS_IN_FLIGHT = 4;
    /** How long finish/abort wait for the aborts of the unfinished uploads. */
    static final long STORAGE_ABORT_SECONDS = 120;

    private final String transferId;
    private final ObjectStore store;
    private final String prefix;
    private final UploadOptions options;
    private final Map<String, Long> declared;
    private final LongConsumer progress;
    private final ExecutorService workers;
    /** Commits wait for their file's parts: on their own threads, so that they never hold a thread a part needs. */
    private final ExecutorService committers;
    /**
     * Aborts run here: an abort waits for the parts still being sent, and a failure is often
     * noticed on the transport's event loop (a file the transfer did not declare), which must not wait.
     */
    private final ExecutorService aborter;
    private final Semaphore inFlight = new Semaphore(PARTS_IN_FLIGHT);
    private final List<Future<?>> pending = new ArrayList<>();
    private final List<ObjectUpload> open = new ArrayList<>();
    private final List<ObjectInfo> committed = new ArrayList<>();
    private final Map<Integer, FileState> files = new HashMap<>();
    private final AtomicReference<StorageException> failure = new AtomicReference<>();
    private final AtomicLong stored = new AtomicLong();

    private static final class FileState {
        final ObjectUpload upload;
        final List<Future<?>> parts = new ArrayList<>();
        ByteBuffer filling;
        int nextPart = 1;

        FileState(ObjectUpload upload) {
            this.upload = upload;
        }
    }

    StreamingUpload(String transferId, ObjectStore store, String prefix, UploadOptions options, Map<String, Long> declared, LongConsumer progress) {
        this.transferId = transferId;
        this.store = store;
        this.prefix = prefix;
        this.options = options;
        this.declared = Map.copyOf(declared);
        this.progress = progress;
        this.workers = Executors.newFixedThreadPool(PARTS_IN_FLIGHT, r -> {
            Thread t = new Thread(r, "skyhaul-stream-" + transferId);
            t.setDaemon(true);
            return t;
        });
        this.committers = Executors.newFixedThreadPool(PARTS_IN_FLIGHT, r -> {
            Thread t = new Thread(r, "skyhaul-commit-" + transferId);
            t.setDaemon(true);
            return t;
        });
        this.aborter = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "skyhaul-abort-" + transferId);
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void fileStarted(int file, String path, long size) {
        if (failure.get() != null) {
            return;
        }
        Long expected = declared.get(path);
        if (expected == null || expected != size) {
            fail(new StorageException(StorageError.INTEGRITY, "received '" + path + "' (" + size + " bytes), which the transfer did not declare"
                    + (expected == null ? "" : " with that size (declared " + expected + ")") + "; nothing of it is stored"));
            return;
        }
        try {
            ObjectUpload upload = store.beginUpload(prefix + path, size, options);
            synchronized (this) {
                open.add(upload);
            }
            files.put(file, new FileState(upload));
        } catch (StorageException e) {
            fail(e);
        }
    }

    @Override
    public void bytes(int file, ByteBuffer data) {
        FileState f = files.get(file);
        if (f == null || failure.get() != null) {
            return;
        }
        while (data.hasRemaining()) {
            if (f.filling == null) {
                long start = (f.nextPart - 1) * f.upload.partSize();
                f.filling = ByteBuffer.allocate((int) Math.min(f.upload.partSize(), f.upload.size() - start));
            }
            int n = Math.min(data.remaining(), f.filling.remaining());
            ByteBuffer slice = data.duplicate();
            slice.limit(slice.position() + n);
            f.filling.put(slice);
            data.position(data.position() + n);
            if (!f.filling.hasRemaining()) {
                submitPart(f);
            }
        }
    }

    private void submitPart(FileState f) {
        ByteBuffer part = f.filling.flip();
        int number = f.nextPart++;
        f.filling = null;
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(new StorageException(StorageError.IO, "interrupted"));
            return;
        }
        Future<?> future = workers.submit(() -> {
            try {
                if (failure.get() == null) {
                    f.upload.uploadPart(number, part);
                    progress.accept(stored.addAndGet(part.remaining()));
                }
            } catch (StorageException e) {
                fail(e);
            } catch (RuntimeException e) {
                fail(new StorageException(StorageError.IO, "uploading part " + number + " of " + f.upload.key() + ": " + e));
            } finally {
                inFlight.release();
            }
        });
        f.parts.add(future);
    }

    @Override
    public void fileHashed(int file, byte[] sha256) {
        FileState f = files.remove(file);
        if (f == null || failure.get() != null) {
            return;
        }
        if (f.filling != null && f.filling.position() > 0) {
            submitPart(f);
        }
        List<Future<?>> parts = List.copyOf(f.parts);
        Future<?> commit = committers.submit(() -> {
            try {
                for (Future<?> p : parts) {
                    p.get();
                }
                if (failure.get() != null) {
                    return;
                }
                ObjectInfo info = f.upload.complete(sha256);
                synchronized (this) {
                    open.remove(f.upload);
                    committed.add(info);
                }
                LOG.info("transfer {}: stored {} ({} bytes) while receiving", transferId, info.key(), info.size());
            } catch (StorageException e) {
                fail(e);
            } catch (Exception e) {
                fail(new StorageException(StorageError.IO, "committing " + f.upload.key() + ": " + e));
            }
        });
        synchronized (this) {
            pending.add(commit);
        }
    }

    /**
     * Waits for every part and commit; the objects written, or the first failure (after which
     * nothing uncommitted remains).
     */
    List<ObjectInfo> finish(long timeoutSeconds) throws StorageException {
        List<Future<?>> all;
        synchronized (this) {
            all = List.copyOf(pending);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        try {
            for (Future<?> f : all) {
                f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (java.util.concurrent.TimeoutException e) {
            fail(new StorageException(StorageError.UNREACHABLE, "storage did not finish within " + timeoutSeconds + " s"));
        } catch (Exception e) {
            fail(new StorageException(StorageError.IO, e.toString()));
        } finally {
            workers.shutdown();
            committers.shutdown();
        }
        if (!files.isEmpty() && failure.get() == null) {
            fail(new StorageException(StorageError.INTEGRITY, files.size() + " file(s) were not received to their end"));
        }
        awaitAborts(timeoutSeconds);
        if (failure.get() != null) {
            throw failure.get();
        }
        synchronized (this) {
            return List.copyOf(committed);
        }
    }

    /** Aborts every object not yet committed; returns when they are aborted (call it from a worker, not an event loop). */
    void abort(String reason) {
        fail(new StorageException(StorageError.IO, reason));
        workers.shutdownNow();
        committers.shutdownNow();
        awaitAborts(STORAGE_ABORT_SECONDS);
    }

    /** After finish or abort: lets the aborts already asked for complete (bounded), so nothing uncommitted remains on return. */
    private void awaitAborts(long timeoutSeconds) {
        aborter.shutdown();
        try {
            if (!aborter.awaitTermination(Math.min(timeoutSeconds, STORAGE_ABORT_SECONDS), TimeUnit.SECONDS)) {
                LOG.warn("transfer {}: aborting the unfinished uploads takes longer than {} s; going on", transferId, STORAGE_ABORT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void fail(StorageException e) {
        if (failure.compareAndSet(null, e)) {
            LOG.warn("transfer {}: streaming into storage stopped: {}", transferId, e.getMessage());
        }
        List<ObjectUpload> toAbort;
        synchronized (this) {
            toAbort = List.copyOf(open);
            open.clear();
        }
        for (ObjectUpload u : toAbort) {
            try {
                aborter.execute(u::abort);
            } catch (java.util.concurrent.RejectedExecutionException late) {
                u.abort(); // after finish/abort: on the caller's thread, a worker's
            }
        }
    }
}
