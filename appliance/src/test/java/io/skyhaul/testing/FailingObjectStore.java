package io.skyhaul.testing;

import io.skyhaul.storage.ObjectInfo;
import io.skyhaul.storage.ObjectStore;
import io.skyhaul.storage.ObjectUpload;
import io.skyhaul.storage.StorageError;
import io.skyhaul.storage.StorageException;
import io.skyhaul.storage.UploadOptions;
import io.skyhaul.storage.engine.FileUploader;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * A fault-injecting decorator around a real store: once {@code budgetBytes} of parts have gone
 * through its uploads, every further part fails as a storage server dropping out mid-upload
 * would (an IO error, the part not stored). Everything else goes to the real store, so a test
 * sees what the real server is left holding after the failure and the abort.
 */
public final class FailingObjectStore implements ObjectStore {
    private final ObjectStore delegate;
    private final long budgetBytes;
    private final AtomicLong passed = new AtomicLong();
    private final AtomicInteger failures = new AtomicInteger();

    public FailingObjectStore(ObjectStore delegate, long budgetBytes) {
        this.delegate = delegate;
        this.budgetBytes = budgetBytes;
    }

    /** Parts refused so far. */
    public int failures() {
        return failures.get();
    }

    @Override
    public ObjectUpload beginUpload(String key, long size, byte[] expectedSha256, UploadOptions options) throws StorageException {
        return new FailingUpload(delegate.beginUpload(key, size, expectedSha256, options));
    }

    @Override
    public ObjectInfo putFile(String key, Path file, byte[] expectedSha256, UploadOptions options, LongConsumer progressBytes) throws StorageException {
        return FileUploader.put(this, key, file, expectedSha256, options, progressBytes);
    }

    @Override
    public ObjectInfo download(String key, Path target, LongConsumer progressBytes) throws StorageException {
        return delegate.download(key, target, progressBytes);
    }

    @Override
    public Optional<ObjectInfo> stat(String key) throws StorageException {
        return delegate.stat(key);
    }

    @Override
    public boolean delete(String key) throws StorageException {
        return delegate.delete(key);
    }

    @Override
    public List<ObjectInfo> list(String prefix) throws StorageException {
        return delegate.list(prefix);
    }

    @Override
    public void testConnection() throws StorageException {
        delegate.testConnection();
    }

    @Override
    public String describe() {
        return "failing(" + delegate.describe() + ")";
    }

    @Override
    public void close() {
        delegate.close();
    }

    private final class FailingUpload implements ObjectUpload {
        private final ObjectUpload upload;

        FailingUpload(ObjectUpload upload) {
            this.upload = upload;
        }

        @Override
        public String key() {
            return upload.key();
        }

        @Override
        public long size() {
            return upload.size();
        }

        @Override
        public long partSize() {
            return upload.partSize();
        }

        @Override
        public int partCount() {
            return upload.partCount();
        }

        @Override
        public void uploadPart(int partNumber, ByteBuffer data) throws StorageException {
            if (passed.addAndGet(data.remaining()) > budgetBytes) {
                failures.incrementAndGet();
                throw new StorageException(StorageError.IO, "injected failure: the storage server went away during part " + partNumber);
            }
            upload.uploadPart(partNumber, data);
        }

        @Override
        public ObjectInfo complete(byte[] expectedSha256) throws StorageException {
            return upload.complete(expectedSha256);
        }

        @Override
        public void abort() {
            upload.abort();
        }
    }
}
