package io.skyhaul.storage.s3;

import io.skyhaul.storage.ObjectInfo;
import io.skyhaul.storage.StorageError;
import io.skyhaul.storage.StorageException;
import io.skyhaul.storage.StoreSettings;
import io.skyhaul.storage.engine.Digests;
import io.skyhaul.storage.engine.MultipartUpload;
import io.skyhaul.storage.engine.UploadTarget;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * An object of at most one part: the part is kept in memory and sent by one PutObject at
 * complete(), with its CRC32C and the SHA-256 metadata, so nothing is visible before the digest
 * is verified and abort() has nothing to clean on the server.
 */
final class S3SinglePutUpload extends MultipartUpload<byte[]> {
    private final S3ObjectStore store;

    S3SinglePutUpload(S3ObjectStore store, UploadTarget target, StoreSettings settings) {
        super(target, settings);
        this.store = store;
    }

    @Override
    protected byte[] sendPart(int n, ByteBuffer data, int crc32c) {
        byte[] copy = new byte[data.remaining()];
        data.get(copy);
        return copy;
    }

    @Override
    protected ObjectInfo commit(List<byte[]> parts, byte[] sha256, boolean mustNotExist) throws StorageException {
        byte[] body = parts.isEmpty() ? new byte[0] : parts.get(0);
        PutObjectRequest.Builder put = PutObjectRequest.builder().bucket(store.bucket()).key(key()).contentLength((long) body.length)
                .contentType("application/octet-stream")
                .checksumCRC32C(Digests.crc32cBase64(Digests.crc32c(ByteBuffer.wrap(body))))
                .metadata(Map.of(S3ObjectStore.SHA256_METADATA, Digests.hex(sha256)));
        if (mustNotExist) {
            put.ifNoneMatch("*");
        }
        try {
            store.s3().putObject(put.build(), RequestBody.fromBytes(body));
        } catch (SdkException e) {
            StorageException mapped = store.errors().map(e, "uploading '" + key() + "'", key());
            throw mustNotExist && isPreconditionFailure(e) ? alreadyExists() : mapped;
        }
        return store.stat(key()).orElseThrow(() -> new StorageException(StorageError.IO, "'" + key() + "' is missing right after it was written"));
    }

    @Override
    protected void discard() {
        // Nothing reached the server.
    }

    @Override
    protected Optional<ObjectInfo> existing() throws StorageException {
        return store.stat(key());
    }

    static boolean isPreconditionFailure(SdkException e) {
        return e instanceof software.amazon.awssdk.services.s3.model.S3Exception s3 && (s3.statusCode() == 412 || s3.statusCode() == 409);
    }
}
