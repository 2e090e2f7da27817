package io.skyhaul.storage.s3;

import io.skyhaul.storage.StorageException;
import io.skyhaul.storage.engine.PartLimits;
import io.skyhaul.storage.engine.PartPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.MetadataDirective;

/**
 * Replaces the user metadata of an object that is already stored, which S3 only allows through
 * a copy onto itself: one CopyObject up to 5 GiB ("you can create a copy of an object up to 5 GB
 * in a single atomic operation"), UploadPartCopy ranges beyond. The copy is pinned to the ETag
 * just committed, so a concurrent writer's object is never stamped with our digest.
 */
final class S3MetadataStamp {
    private static final long SINGLE_COPY_LIMIT = 5L << 30;
    private static final long COPY_PART_SIZE = 1L << 30;

    private S3MetadataStamp() {
    }

    static void stamp(S3ObjectStore store, String key, long size, String eTag, Map<String, String> metadata) throws StorageException {
        String bucket = store.bucket();
        try {
            if (size <= SINGLE_COPY_LIMIT) {
                store.s3().copyObject(b -> b.sourceBucket(bucket).sourceKey(key).destinationBucket(bucket).destinationKey(key)
                        .metadataDirective(MetadataDirective.REPLACE).metadata(metadata).contentType("application/octet-stream").copySourceIfMatch(eTag));
                return;
            }
            copyInParts(store, key, size, eTag, metadata);
        } catch (SdkException e) {
            throw store.errors().map(e, "storing the SHA-256 of '" + key + "'", key);
        }
    }

    private static void copyInParts(S3ObjectStore store, String key, long size, String eTag, Map<String, String> metadata) throws StorageException {
        String bucket = store.bucket();
        PartPlan plan = PartPlan.of(size, COPY_PART_SIZE, PartLimits.S3);
        String uploadId = store.s3().createMultipartUpload(b -> b.bucket(bucket).key(key).metadata(metadata).contentType("application/octet-stream"))
                .uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            for (int n = 1; n <= plan.partCount(); n++) {
                int part = n;
                String range = "bytes=" + plan.offset(n) + "-" + (plan.offset(n) + plan.length(n) - 1);
                String partTag = store.s3().uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey(key).destinationBucket(bucket).destinationKey(key)
                        .uploadId(uploadId).partNumber(part).copySourceRange(range).copySourceIfMatch(eTag)).copyPartResult().eTag();
                parts.add(CompletedPart.builder().partNumber(n).eTag(partTag).build());
            }
            store.s3().completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
        } catch (SdkException e) {
            try {
                store.s3().abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
            } catch (SdkException abortFailure) {
                e.addSuppressed(abortFailure);
            }
            throw e;
        }
    }
}
