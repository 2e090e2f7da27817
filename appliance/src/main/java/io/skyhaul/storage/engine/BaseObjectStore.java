package io.skyhaul.storage.engine;

import io.skyhaul.storage.ObjectInfo;
import io.skyhaul.storage.ObjectKeys;
import io.skyhaul.storage.ObjectStore;
import io.skyhaul.storage.StorageException;
import io.skyhaul.storage.StoreSettings;
import io.skyhaul.storage.UploadOptions;
import java.nio.file.Path;
import java.util.function.LongConsumer;

/** putFile and download for every backend, from the backend's uploads and ranged reads. */
public abstract class BaseObjectStore implements ObjectStore {
    protected final StoreSettings settings;

    protected BaseObjectStore(StoreSettings settings) {
        this.settings = settings;
    }

    /** The object under {@code key}, pinned for ranged reads; OBJECT_NOT_FOUND if there is none. */
    protected abstract ReadableObject openForRead(String key) throws StorageException;

    @Override
    public ObjectInfo putFile(String key, Path file, byte[] expectedSha256, UploadOptions options, LongConsumer progressBytes) throws StorageException {
        return FileUploader.put(this, key, file, expectedSha256, options, progressBytes);
    }

    @Override
    public ObjectInfo download(String key, Path target, LongConsumer progressBytes) throws StorageException {
        ObjectKeys.requireValid(key);
        try (ReadableObject object = openForRead(key)) {
            return RangedDownloader.download(describe(), object, target, settings, progressBytes);
        }
    }

    public StoreSettings settings() {
        return settings;
    }
}
