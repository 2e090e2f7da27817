package io.skyhaul.storage.azure;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.BlockBlobItem;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.options.BlockBlobStageBlockOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
import io.skyhaul.storage.ObjectInfo;
import io.skyhaul.storage.StorageException;
import io.skyhaul.storage.StoreSettings;
import io.skyhaul.storage.engine.Digests;
import io.skyhaul.storage.engine.MultipartUpload;
import io.skyhaul.storage.engine.UploadTarget;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An Azure block blob upload: every part is a block staged with its MD5 (the service rejects a
 * block whose bytes do not match), the block list is committed with the {@code sha256} metadata
 * once the digest is verified. Block ids carry the upload id, so concurrent uploads of one key
 * never mix blocks. Until the commit the blob is not visible; abort() commits nothing, and Azure
 * discards uncommitted blocks by itself (after a week at most).
 */
final class AzureUpload extends MultipartUpload<String> {
    private final AzureObjectStore store;
    private final BlockBlobClient blob;
    private final Duration timeout;

    AzureUpload(AzureObjectStore store, UploadTarget target, StoreSettings settings) {
        super(target, settings);
        this.store = store;
        this.blob = store.client().getBlobClient(target.key()).getBlockBlobClient();
        this.timeout = settings.requestTimeout();
    }

    /** Base64 of "UPLOADID-NNNNNN": every id of a blob must have the same length. */
    String blockId(int n) {
        return Base64.getEncoder().encodeToString(String.format("%s-%06d", uploadId(), n).getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    protected String sendPart(int n, ByteBuffer data, int crc32c) throws StorageException {
        String id = blockId(n);
        BlockBlobStageBlockOptions options = new BlockBlobStageBlockOptions(id, BinaryData.fromByteBuffer(data.duplicate())).setContentMd5(Digests.md5(data));
        try {
            blob.stageBlockWithResponse(options, timeout, Context.NONE);
            return id;
        } catch (RuntimeException e) {
            throw store.errors().map(e, "staging block " + n + " of '" + key() + "'", key());
        }
    }

    @Override
    protected ObjectInfo commit(List<String> blockIds, byte[] sha256, boolean mustNotExist) throws StorageException {
        BlockBlobCommitBlockListOptions options = new BlockBlobCommitBlockListOptions(blockIds)
                .setHeaders(new BlobHttpHeaders().setContentType("application/octet-stream"))
                .setMetadata(Map.of(AzureObjectStore.SHA256_METADATA, Digests.hex(sha256)));
        if (mustNotExist) {
            options.setRequestConditions(new BlobRequestConditions().setIfNoneMatch("*"));
        }
        try {
            BlockBlobItem item = blob.commitBlockListWithResponse(options, timeout, Context.NONE).getValue();
            return new ObjectInfo(key(), size(), AzureObjectStore.instant(item.getLastModified()), Digests.hex(sha256));
        } catch (BlobStorageException e) {
            if (mustNotExist && (BlobErrorCode.BLOB_ALREADY_EXISTS.equals(e.getErrorCode()) || e.getStatusCode() == 409 || e.getStatusCode() == 412)) {
                throw alreadyExists();
            }
            throw store.errors().map(e, "committing the blocks of '" + key() + "'", key());
        } catch (RuntimeException e) {
            throw store.errors().map(e, "committing the blocks of '" + key() + "'", key());
        }
    }

    @Override
    protected void discard() {
        // Nothing to call: uncommitted blocks are invisible and garbage-collected by the service.
    }

    @Override
    protected Optional<ObjectInfo> existing() throws StorageException {
        return store.stat(key());
    }
}
