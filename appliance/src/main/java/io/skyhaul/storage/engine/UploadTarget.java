package io.skyhaul.storage.engine;

import io.skyhaul.storage.UploadOptions;

/**
 * What one upload writes: where, how it is cut, under which rules, and the id its log lines carry.
 *
 * @param store          the store's description (account and bucket, no secret)
 * @param uploadId       Skyhaul's id of this upload (short, random), in every log line about it
 * @param expectedSha256 the digest the caller announced at the start, or null
 */
public record UploadTarget(String store, String key, PartPlan plan, UploadOptions options, byte[] expectedSha256, String uploadId) {
    public static String newUploadId() {
        return java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }
}
