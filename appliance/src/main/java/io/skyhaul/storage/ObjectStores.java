package io.skyhaul.storage;

import io.skyhaul.storage.azure.AzureObjectStore;
import io.skyhaul.storage.local.LocalObjectStore;
import io.skyhaul.storage.s3.S3ObjectStore;

/**
 * Opens the store of one bucket of one account. Opening makes no network call; use
 * {@link ObjectStore#testConnection()} to prove that the credentials and the bucket work.
 *
 * <p>The bucket must exist on every backend: an S3 bucket, an Azure container, or for a local
 * account the directory {@code root/bucket} (created on open only with
 * {@link StoreSettings#createLocalBucket()}). Operations on a missing one fail with
 * {@link StorageError#BUCKET_NOT_FOUND}.
 */
public final class ObjectStores {
    private ObjectStores() {
    }

    public static ObjectStore open(StorageAccount account, String bucket) throws StorageException {
        return open(account, bucket, StoreSettings.defaults());
    }

    public static ObjectStore open(StorageAccount account, String bucket, StoreSettings settings) throws StorageException {
        if (account instanceof LocalAccount local) {
            return new LocalObjectStore(local, bucket, settings);
        }
        if (account instanceof S3Account s3) {
            return new S3ObjectStore(s3, bucket, settings);
        }
        if (account instanceof AzureAccount azure) {
            return new AzureObjectStore(azure, bucket, settings);
        }
        throw new IllegalArgumentException("unknown storage account kind: " + account.kind());
    }
}
