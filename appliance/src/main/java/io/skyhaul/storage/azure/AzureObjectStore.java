package io.skyhaul.storage.azure;

import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.ListBlobsOptions;
import io.skyhaul.storage.AzureAccount;
import io.skyhaul.storage.ObjectInfo;
import io.skyhaul.storage.ObjectKeys;
import io.skyhaul.storage.ObjectUpload;
import io.skyhaul.storage.Overwrite;
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
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One container of an Azure Blob Storage account (or Azurite). Objects are block blobs: blocks
 * staged in parallel with their MD5, committed as a block list with the {@code sha256} metadata
 * only after the SHA-256 is verified.
 */
public final class AzureObjectStore extends BaseObjectStore {
    static final String SHA256_METADATA = "sha256";
    private static final Logger LOG = LoggerFactory.getLogger(AzureObjectStore.class);
    private static final int LIST_PAGE = 5000;

    private final String container;
    private final String description;
    private final BlobContainerClient client;
    private final AzureErrors errors;

    public AzureObjectStore(AzureAccount account, String container, StoreSettings settings) throws StorageException {
        super(settings);
        if (container == null || container.isBlank() || container.contains("/")) {
            throw new StorageException(StorageError.INVALID_KEY, "invalid Azure container name " + (container == null ? "(null)" : "'" + container + "'"));
        }
        this.container = container;
        this.description = "container '" + container + "' of " + account.describe();
        this.errors = new AzureErrors(account.describe(), account.authMethod(), container);
        try {
            this.client = AzureClients.container(account, container, settings);
        } catch (IllegalArgumentException e) {
            throw new StorageException(StorageError.AUTH_FAILED, "the credentials of " + account.describe() + " are malformed: check the "
                    + account.authMethod() + " (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    @Override
    public ObjectUpload beginUpload(String key, long size, byte[] expectedSha256, UploadOptions options) throws StorageException {
        ObjectKeys.requireValid(key);
        PartPlan plan = PartPlan.of(size, settings.partSize(), PartLimits.AZURE);
        if (options.overwrite() == Overwrite.NEVER && stat(key).isPresent()) {
            throw new StorageException(StorageError.ALREADY_EXISTS, "an object already exists under '" + key + "' in " + description
                    + " and the upload was told never to overwrite: delete it first or choose another overwrite rule");
        }
        UploadTarget target = new UploadTarget(description, key, plan, options, expectedSha256, UploadTarget.newUploadId());
        LOG.info("upload {} begun: store={} key={} bytes={} blocks={} blockSize={}", target.uploadId(), description, key, size, plan.partCount(),
                plan.partSize());
        return new AzureUpload(this, target, settings);
    }

    @Override
    public Optional<ObjectInfo> stat(String key) throws StorageException {
        ObjectKeys.requireValid(key);
        return properties(key).map(p -> info(key, p));
    }

    @Override
    public List<ObjectInfo> list(String prefix) throws StorageException {
        ObjectKeys.requireValidPrefix(prefix);
        ListBlobsOptions options = new ListBlobsOptions().setMaxResultsPerPage(LIST_PAGE).setDetails(new BlobListDetails().setRetrieveMetadata(true));
        if (!prefix.isEmpty()) {
            options.setPrefix(prefix);
        }
        List<ObjectInfo> out = new ArrayList<>();
        try {
            for (BlobItem item : client.listBlobs(options, settings.requestTimeout())) {
                if (Boolean.TRUE.equals(item.isPrefix()) || Boolean.TRUE.equals(item.isDeleted())) {
                    continue;
                }
                String sha = item.getMetadata() == null ? null : item.getMetadata().get(SHA256_METADATA);
                out.add(new ObjectInfo(item.getName(), item.getProperties().getContentLength(), instant(item.getProperties().getLastModified()), sha256(sha)));
            }
        } catch (RuntimeException e) {
            throw errors.map(e, "listing '" + prefix + "'", null);
        }
        out.sort(Comparator.comparing(ObjectInfo::key));
        return out;
    }

    @Override
    public void testConnection() throws StorageException {
        try {
            client.listBlobs(new ListBlobsOptions().setMaxResultsPerPage(1), settings.requestTimeout()).iterableByPage().iterator().next();
        } catch (RuntimeException e) {
            throw errors.map(e, "testing the connection", null);
        }
    }

    @Override
    protected ReadableObject openForRead(String key) throws StorageException {
        BlobProperties p = properties(key).orElseThrow(() -> new StorageException(StorageError.OBJECT_NOT_FOUND, "no object '" + key + "' in " + description));
        return new AzureReadable(this, info(key, p), p.getETag());
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        // The SDK's HTTP client holds only pooled connections, released when idle.
    }

    BlobContainerClient client() {
        return client;
    }

    AzureErrors errors() {
        return errors;
    }

    @Override
    public boolean delete(String key) throws StorageException {
        ObjectKeys.requireValid(key);
        boolean deleted;
        try {
            deleted = client.getBlobClient(key).deleteIfExistsWithResponse(null, null, settings.requestTimeout(), Context.NONE).getValue();
        } catch (RuntimeException e) {
            throw errors.map(e, "deleting '" + key + "'", key);
        }
        if (deleted) {
            LOG.info("deleted {} in {}", key, description);
        } else {
            containerMustExist();
        }
        return deleted;
    }

    Optional<BlobProperties> properties(String key) throws StorageException {
        try {
            return Optional.of(client.getBlobClient(key).getPropertiesWithResponse(null, settings.requestTimeout(), Context.NONE).getValue());
        } catch (RuntimeException e) {
            StorageException mapped = errors.map(e, "looking up '" + key + "'", key);
            if (mapped.error() == StorageError.OBJECT_NOT_FOUND) {
                // A HEAD has no body, so a missing container also reads as a plain 404: tell them apart.
                containerMustExist();
                return Optional.empty();
            }
            throw mapped;
        }
    }

    static ObjectInfo info(String key, BlobProperties p) {
        Map<String, String> metadata = p.getMetadata();
        return new ObjectInfo(key, p.getBlobSize(), instant(p.getLastModified()), sha256(metadata == null ? null : metadata.get(SHA256_METADATA)));
    }

    static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    private static String sha256(String hex) {
        return Digests.parseSha256Hex(hex) == null ? null : hex.toLowerCase();
    }

    private void containerMustExist() throws StorageException {
        boolean exists;
        try {
            exists = client.exists();
        } catch (RuntimeException e) {
            throw errors.map(e, "looking up the container", null);
        }
        if (!exists) {
            throw new StorageException(StorageError.BUCKET_NOT_FOUND, "the container '" + container + "' does not exist in " + description
                    + ": create it, or check the container name");
        }
    }
}
