package io.skyhaul.storage.azure;

import com.azure.core.util.Context;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.DownloadRetryOptions;
import io.skyhaul.storage.ObjectInfo;
import io.skyhaul.storage.StorageError;
import io.skyhaul.storage.StorageException;
import io.skyhaul.storage.engine.ReadableObject;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** One version of a blob (pinned by its ETag: If-Match on every range), read by ranged downloads. */
final class AzureReadable implements ReadableObject {
    private static final int RANGE_RETRIES = 3;

    private final AzureObjectStore store;
    private final ObjectInfo info;
    private final String eTag;

    AzureReadable(AzureObjectStore store, ObjectInfo info, String eTag) {
        this.store = store;
        this.info = info;
        this.eTag = eTag;
    }

    @Override
    public ObjectInfo info() {
        return info;
    }

    @Override
    public void copyRange(long offset, long length, FileChannel out) throws StorageException {
        PositionalOutput sink = new PositionalOutput(out, offset);
        try {
            store.client().getBlobClient(info.key()).downloadStreamWithResponse(sink, new BlobRange(offset, length),
                    new DownloadRetryOptions().setMaxRetryRequests(RANGE_RETRIES), new BlobRequestConditions().setIfMatch(eTag), false,
                    store.settings().requestTimeout(), Context.NONE);
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 412) {
                throw new StorageException(StorageError.INTEGRITY, "'" + info.key() + "' was replaced while it was being downloaded: try again", e);
            }
            throw store.errors().map(e, "reading '" + info.key() + "' at " + offset, info.key());
        } catch (UncheckedIOException e) {
            throw new StorageException(StorageError.IO, "cannot write the download of '" + info.key() + "': " + e.getCause().getMessage(), e);
        } catch (RuntimeException e) {
            throw store.errors().map(e, "reading '" + info.key() + "' at " + offset, info.key());
        }
        if (sink.written != length) {
            throw new StorageException(StorageError.INTEGRITY, "the storage server sent " + sink.written + " bytes of '" + info.key() + "' at " + offset
                    + " instead of " + length);
        }
    }

    /** Writes what it is given at consecutive offsets of a file shared by several ranges. */
    private static final class PositionalOutput extends OutputStream {
        private final FileChannel out;
        private final long start;
        private long written;

        PositionalOutput(FileChannel out, long start) {
            this.out = out;
            this.start = start;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
            while (buffer.hasRemaining()) {
                int n = out.write(buffer, start + written);
                written += n;
            }
        }
    }
}
