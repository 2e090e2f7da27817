package io.skyhaul.storage.s3;

import io.skyhaul.storage.ObjectInfo;
import io.skyhaul.storage.StorageError;
import io.skyhaul.storage.StorageException;
import io.skyhaul.storage.engine.ReadableObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import software.amazon.awssdk.core.exception.SdkException;

/** One version of an S3 object (pinned by its ETag: If-Match on every range), read by ranged GETs. */
final class S3Readable implements ReadableObject {
    private static final int BUFFER = 1 << 20;

    private final S3ObjectStore store;
    private final ObjectInfo info;
    private final String eTag;

    S3Readable(S3ObjectStore store, ObjectInfo info, String eTag) {
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
        String range = "bytes=" + offset + "-" + (offset + length - 1);
        long done = 0;
        try (InputStream in = store.s3().getObject(b -> b.bucket(store.bucket()).key(info.key()).range(range).ifMatch(eTag))) {
            byte[] chunk = new byte[(int) Math.min(BUFFER, length)];
            int n;
            while (done < length && (n = in.read(chunk, 0, (int) Math.min(chunk.length, length - done))) > 0) {
                ByteBuffer b = ByteBuffer.wrap(chunk, 0, n);
                while (b.hasRemaining()) {
                    out.write(b, offset + done + b.position());
                }
                done += n;
            }
        } catch (SdkException e) {
            StorageException mapped = store.errors().map(e, "reading '" + info.key() + "' " + range, info.key());
            if (e instanceof software.amazon.awssdk.services.s3.model.S3Exception s3 && s3.statusCode() == 412) {
                throw new StorageException(StorageError.INTEGRITY, "'" + info.key() + "' was replaced while it was being downloaded: try again", e);
            }
            throw mapped;
        } catch (IOException e) {
            throw new StorageException(StorageError.IO, "reading '" + info.key() + "' " + range + " failed: " + e.getMessage(), e);
        }
        if (done != length) {
            throw new StorageException(StorageError.INTEGRITY, "the storage server sent " + done + " bytes of '" + info.key() + "' " + range + " instead of " + length);
        }
    }
}
