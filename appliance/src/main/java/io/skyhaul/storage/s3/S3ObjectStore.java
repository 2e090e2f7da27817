package io.skyhaul.storage.s3;

import io.skyhaul.storage.ObjectInfo;
import io.skyhaul.storage.ObjectKeys;
import io.skyhaul.storage.ObjectUpload;
import io.skyhaul.storage.Overwrite;
import io.skyhaul.storage.S3Account;
import io.skyhaul.storage.StorageError;
import io.skyhaul.storage.StorageException;
import io.skyhaul.storage.StoreSettings;
import io.skyhaul.storage.UploadOptions;
import io.skyhaul.storage.engine.BaseObjectStore;
import io.skyhaul.storage.engine.Digests;
import io.skyhaul.storage.engine.PartLimits;
import io.skyhaul.storage.engine.PartPlan;
import io.skyhaul.storage.engine.ReadableObject;
import io.skyhaul.storage.engine.UploadTarget;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * One bucket of an S3 or S3-compatible account. Objects of one part go up as a single PutObject
 * at complete(); larger ones as a multipart upload with a CRC32C per part. The SHA-256 is the
 * user metadata {@code sha256} (header {@code x-amz-meta-sha256}).
 */
public final class S3ObjectStore extends BaseObjectStore {
    static final String SHA256_METADATA = "sha256";
    private static final Logger LOG = LoggerFactory.getLogger(S3ObjectStore.class);

    private final String bucket;
    private final String description;
    private final SdkHttpClient http;
    private final S3Client s3;
    private final S3Errors errors;

    public S3ObjectStore(S3Account account, String bucket, StoreSettings settings) throws StorageException {
        super(settings);
        if (bucket == null || bucket.isBlank() || bucket.contains("/")) {
            throw new StorageException(StorageError.INVALID_KEY, "invalid S3 bucket name " + (bucket == null ? "(null)" : "'" + bucket + "'"));
        }
        this.bucket = bucket;
        this.description = "bucket '" + bucket + "' of " + account.describe();
        this.errors = new S3Errors(account.describe(), bucket);
        this.http = S3Clients.httpClient(settings);
        this.s3 = S3Clients.client(account, http, settings);
    }

    @Override
    public ObjectUpload beginUpload(String key, long size, byte[] expectedSha256, UploadOptions options) throws StorageException {
        ObjectKeys.requireValid(key);
        PartPlan plan = PartPlan.of(size, settings.partSize(), PartLimits.S3);
        if (options.overwrite() == Overwrite.NEVER && stat(key).isPresent()) {
            throw new StorageException(StorageError.ALREADY_EXISTS, "an object already exists under '" + key + "' in " + description
                    + " and the upload was told never to overwrite: delete it first or choose another overwrite rule");
        }
        UploadTarget target = new UploadTarget(description, key, plan, options, expectedSha256, UploadTarget.newUploadId());
        if (plan.partCount() <= 1) {
            LOG.info("upload {} begun: store={} key={} bytes={} single PutObject", target.uploadId(), description, key, size);
            return new S3SinglePutUpload(this, target, settings);
        }
        CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder().bucket(bucket).key(key)
                .checksumAlgorithm(ChecksumAlgorithm.CRC32_C).contentType("application/octet-stream");
        if (expectedSha256 != null) {
            create.metadata(Map.of(SHA256_METADATA, Digests.hex(expectedSha256)));
        }
        String s3UploadId;
        try {
            s3UploadId = s3.createMultipartUpload(create.build()).uploadId();
        } catch (SdkException e) {
            throw errors.map(e, "starting the multipart upload of '" + key + "'", key);
        }
        LOG.info("upload {} begun: store={} key={} bytes={} parts={} partSize={} s3UploadId={}", target.uploadId(), description, key, size,
                plan.partCount(), plan.partSize(), s3UploadId);
        return new S3MultipartUpload(this, target, settings, s3UploadId);
    }

    @Override
    public Optional<ObjectInfo> stat(String key) throws StorageException {
        ObjectKeys.requireValid(key);
        return head(key).map(h -> info(key, h));
    }

    @Override
    public List<ObjectInfo> list(String prefix) throws StorageException {
        ObjectKeys.requireValidPrefix(prefix);
        List<ObjectInfo> out = new ArrayList<>();
        try {
            ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(bucket).prefix(prefix.isEmpty() ? null : prefix).build();
            for (S3Object o : s3.listObjectsV2Paginator(request).contents()) {
                out.add(new ObjectInfo(o.key(), o.size(), o.lastModified(), null));
            }
        } catch (SdkException e) {
            throw errors.map(e, "listing '" + prefix + "'", null);
        }
        out.sort(Comparator.comparing(ObjectInfo::key));
        return out;
    }

    @Override
    public boolean delete(String key) throws StorageException {
        ObjectKeys.requireValid(key);
        if (head(key).isEmpty()) {
            return false;
        }
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(key));
        } catch (SdkException e) {
            throw errors.map(e, "deleting '" + key + "'", key);
        }
        LOG.info("deleted {} in {}", key, description);
        return true;
    }

    @Override
    public int abortIncompleteUploads(String key) throws StorageException {
        ObjectKeys.requireValid(key);
        int aborted = 0;
        try {
            for (var u : s3.listMultipartUploadsPaginator(b -> b.bucket(bucket).prefix(key)).uploads()) {
                if (u.key().equals(key)) {
                    s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(u.uploadId()));
                    LOG.info("aborted the unfinished multipart upload {} of {} in {}", u.uploadId(), key, description);
                    aborted++;
                }
            }
        } catch (SdkException e) {
            throw errors.map(e, "aborting the unfinished uploads of '" + key + "'", key);
        }
        return aborted;
    }

    @Override
    public void testConnection() throws StorageException {
        try {
            s3.headBucket(b -> b.bucket(bucket));
            s3.listObjectsV2(b -> b.bucket(bucket).maxKeys(1));
        } catch (SdkException e) {
            throw errors.map(e, "testing the connection", null);
        }
    }

    @Override
    protected ReadableObject openForRead(String key) throws StorageException {
        HeadObjectResponse h = head(key).orElseThrow(() -> new StorageException(StorageError.OBJECT_NOT_FOUND, "no object '" + key + "' in " + description));
        return new S3Readable(this, info(key, h), h.eTag());
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        s3.close();
        http.close();
    }

    S3Client s3() {
        return s3;
    }

    String bucket() {
        return bucket;
    }

    S3Errors errors() {
        return errors;
    }

    Optional<HeadObjectResponse> head(String key) throws StorageException {
        try {
            return Optional.of(s3.headObject(b -> b.bucket(bucket).key(key)));
        } catch (SdkException e) {
            StorageException mapped = errors.map(e, "looking up '" + key + "'", key);
            if (mapped.error() == StorageError.OBJECT_NOT_FOUND) {
                // A HEAD has no body, so a missing bucket also reads as a plain 404: tell them apart.
                bucketMustExist();
                return Optional.empty();
            }
            throw mapped;
        }
    }

    static ObjectInfo info(String key, HeadObjectResponse h) {
        String sha = h.metadata().get(SHA256_METADATA);
        return new ObjectInfo(key, h.contentLength(), h.lastModified(), Digests.parseSha256Hex(sha) == null ? null : sha.toLowerCase());
    }

    private void bucketMustExist() throws StorageException {
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (SdkException e) {
            throw errors.map(e, "looking up the bucket", null);
        }
    }
}
