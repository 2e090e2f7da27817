package io.skyhaul.storage.s3;

import io.skyhaul.storage.ObjectInfo;
import io.skyhaul.storage.StorageError;
import io.skyhaul.storage.StorageException;
import io.skyhaul.storage.StoreSettings;
import io.skyhaul.storage.engine.ByteBufferInputStream;
import io.skyhaul.storage.engine.Digests;
import io.skyhaul.storage.engine.MultipartUpload;
import io.skyhaul.storage.engine.UploadTarget;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * An S3 multipart upload: UploadPart with the part's CRC32C (the server rejects a part whose
 * bytes do not match it), CompleteMultipartUpload with every part's ETag and CRC32C once the
 * SHA-256 is verified, AbortMultipartUpload otherwise. When the SHA-256 was not known at the
 * start, the completed object is stamped with it by an in-place copy ({@link S3MetadataStamp}).
 */
final class S3MultipartUpload extends MultipartUpload<CompletedPart> {
    private static final Logger LOG = LoggerFactory.getLogger(S3MultipartUpload.class);

    private final S3ObjectStore store;
    private final String s3UploadId;

    S3MultipartUpload(S3ObjectStore store, UploadTarget target, StoreSettings settings, String s3UploadId) {
        super(target, settings);
        this.store = store;
        this.s3UploadId = s3UploadId;
    }

    @Override
    protected CompletedPart sendPart(int n, ByteBuffer data, int crc32c) throws StorageException {
        String crc = Digests.crc32cBase64(crc32c);
        long length = data.remaining();
        UploadPartRequest request = UploadPartRequest.builder().bucket(store.bucket()).key(key()).uploadId(s3UploadId).partNumber(n)
                .contentLength(length).checksumCRC32C(crc).build();
        try {
            UploadPartResponse response = store.s3().uploadPart(request,
                    RequestBody.fromContentProvider(() -> new ByteBufferInputStream(data), length, "application/octet-stream"));
            return CompletedPart.builder().partNumber(n).eTag(response.eTag()).checksumCRC32C(crc).build();
        } catch (SdkException e) {
            throw store.errors().map(e, "uploading part " + n + " of '" + key() + "'", key());
        }
    }

    @Override
    protected ObjectInfo commit(List<CompletedPart> parts, byte[] sha256, boolean mustNotExist) throws StorageException {
        CompleteMultipartUploadRequest.Builder request = CompleteMultipartUploadRequest.builder().bucket(store.bucket()).key(key()).uploadId(s3UploadId)
                .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build());
        if (mustNotExist) {
            request.ifNoneMatch("*");
        }
        CompleteMultipartUploadResponse done;
        try {
            done = store.s3().completeMultipartUpload(request.build());
        } catch (SdkException e) {
            StorageException mapped = store.errors().map(e, "completing the multipart upload of '" + key() + "'", key());
            throw mustNotExist && S3SinglePutUpload.isPreconditionFailure(e) ? alreadyExists() : mapped;
        }
        if (target.expectedSha256() == null) {
            stampDigest(sha256, done.eTag());
        }
        return store.stat(key()).orElseThrow(() -> new StorageException(StorageError.IO, "'" + key() + "' is missing right after it was committed"));
    }

    @Override
    protected void discard() {
        try {
            store.s3().abortMultipartUpload(b -> b.bucket(store.bucket()).key(key()).uploadId(s3UploadId));
        } catch (SdkException e) {
            StorageException mapped = store.errors().map(e, "aborting the multipart upload of '" + key() + "'", key());
            if (mapped.error() != StorageError.OBJECT_NOT_FOUND) {
                LOG.warn("upload {}: could not abort S3 multipart upload {} of {}: {}: it may hold storage until a lifecycle rule removes it", uploadId(),
                        s3UploadId, key(), mapped.getMessage());
            }
        }
    }

    @Override
    protected Optional<ObjectInfo> existing() throws StorageException {
        return store.stat(key());
    }

    /** A failure here would leave a visible object without its digest, so it is removed again: complete() then fails cleanly. */
    private void stampDigest(byte[] sha256, String eTag) throws StorageException {
        try {
            S3MetadataStamp.stamp(store, key(), size(), eTag, Map.of(S3ObjectStore.SHA256_METADATA, Digests.hex(sha256)));
        } catch (StorageException e) {
            try {
                store.s3().deleteObject(b -> b.bucket(store.bucket()).key(key()));
            } catch (SdkException deleteFailure) {
                e.addSuppressed(deleteFailure);
            }
            throw e;
        }
    }
}
