package io.skyhaul.storage.local;

import io.skyhaul.storage.LocalAccount;
import io.skyhaul.storage.ObjectInfo;
import io.skyhaul.storage.ObjectKeys;
import io.skyhaul.storage.ObjectUpload;
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
import io.skyhaul.storage.Overwrite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bucket on the local filesystem: the directory {@code root/bucket}, which must exist (unless
 * {@link StoreSettings#createLocalBucket()}); objects are regular files under it, keys their
 * '/'-separated relative paths. Symbolic links are neither listed nor followed out of the bucket.
 */
public final class LocalObjectStore extends BaseObjectStore {
    private static final Logger LOG = LoggerFactory.getLogger(LocalObjectStore.class);
    private static final int COPY_BUFFER = 1 << 20;

    private final String description;
    private final LocalPaths paths;

    public LocalObjectStore(LocalAccount account, String bucket, StoreSettings settings) throws StorageException {
        super(settings);
        requireBucketName(bucket);
        Path dir = account.root().resolve(bucket);
        this.description = "local bucket '" + bucket + "' under " + account.root();
        this.paths = new LocalPaths(dir, description);
        if (settings.createLocalBucket() && !Files.isDirectory(dir)) {
            try {
                Files.createDirectories(dir);
                LOG.info("created the local bucket directory {}", dir);
            } catch (IOException e) {
                throw new StorageException(StorageError.IO, "cannot create the bucket directory " + dir + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public ObjectUpload beginUpload(String key, long size, byte[] expectedSha256, UploadOptions options) throws StorageException {
        Path target = paths.resolve(key);
        if (options.overwrite() == Overwrite.NEVER && stat(key).isPresent()) {
            throw new StorageException(StorageError.ALREADY_EXISTS, "an object already exists under '" + key + "' in " + description
                    + " and the upload was told never to overwrite: delete it first or choose another overwrite rule");
        }
        paths.requireAncestorsInside(key, target.getParent());
        try {
            Files.createDirectories(target.getParent());
        } catch (IOException e) {
            throw new StorageException(StorageError.IO, "cannot create the directory of '" + key + "' in " + description + " (is a part of its path a file?): "
                    + e.getMessage(), e);
        }
        paths.requireInside(key, target.getParent());
        UploadTarget upload = new UploadTarget(description, key, PartPlan.of(size, settings.partSize(), PartLimits.LOCAL), options, expectedSha256,
                UploadTarget.newUploadId());
        LocalUpload u = new LocalUpload(this, upload, settings, target);
        LOG.info("upload {} begun: store={} key={} bytes={} parts={} partSize={}", upload.uploadId(), description, key, size, u.partCount(), u.partSize());
        return u;
    }

    @Override
    public Optional<ObjectInfo> stat(String key) throws StorageException {
        Path p = paths.resolve(key);
        Optional<BasicFileAttributes> attrs = regularFile(key, p);
        return attrs.map(a -> new ObjectInfo(key, a.size(), a.lastModifiedTime().toInstant(), Sha256Attribute.read(p)));
    }

    @Override
    public boolean delete(String key) throws StorageException {
        Path p = paths.resolve(key);
        if (regularFile(key, p).isEmpty()) {
            return false;
        }
        try {
            boolean deleted = Files.deleteIfExists(p);
            if (deleted) {
                LOG.info("deleted {} in {}", key, description);
            }
            return deleted;
        } catch (IOException e) {
            throw new StorageException(StorageError.IO, "cannot delete '" + key + "' in " + description + ": " + e.getMessage(), e);
        }
    }

    /** As stat(), with the SHA-256 computed from the file when no attribute holds it (for Overwrite.IF_DIFFERENT). */
    Optional<ObjectInfo> statWithDigest(String key) throws StorageException {
        Optional<ObjectInfo> info = stat(key);
        if (info.isEmpty() || info.get().sha256Hex() != null) {
            return info;
        }
        ObjectInfo i = info.get();
        return Optional.of(new ObjectInfo(key, i.size(), i.lastModified(), Digests.hex(hashFile(paths.resolve(key)))));
    }

    @Override
    public List<ObjectInfo> list(String prefix) throws StorageException {
        ObjectKeys.requireValidPrefix(prefix);
        Path bucket = paths.bucket();
        int slash = prefix.lastIndexOf('/');
        Path start = slash < 0 ? bucket : bucket.resolve(prefix.substring(0, slash));
        if (!Files.isDirectory(start, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        List<ObjectInfo> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(start)) {
            walk.forEach(p -> {
                String name = p.getFileName() == null ? "" : p.getFileName().toString();
                if (LocalPaths.TEMP_NAME.matcher(name).matches()) {
                    return;
                }
                String key = bucket.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
                if (!key.startsWith(prefix)) {
                    return;
                }
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    if (a.isRegularFile()) {
                        out.add(new ObjectInfo(key, a.size(), a.lastModifiedTime().toInstant(), Sha256Attribute.read(p)));
                    }
                } catch (NoSuchFileException e) {
                    // Removed while we listed: not there any more.
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            throw new StorageException(StorageError.IO, "cannot list " + description + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.comparing(ObjectInfo::key));
        return out;
    }

    @Override
    public void testConnection() throws StorageException {
        Path bucket = paths.bucket();
        if (!Files.isWritable(bucket)) {
            throw new StorageException(StorageError.AUTH_FAILED, "the bucket directory " + bucket + " is not writable by this process: fix its owner or mode");
        }
    }

    @Override
    protected ReadableObject openForRead(String key) throws StorageException {
        Path p = paths.resolve(key);
        Optional<BasicFileAttributes> attrs = regularFile(key, p);
        if (attrs.isEmpty()) {
            throw notFound(key);
        }
        String sha = Sha256Attribute.read(p);
        try {
            FileChannel in = FileChannel.open(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
            ObjectInfo info = new ObjectInfo(key, in.size(), attrs.get().lastModifiedTime().toInstant(), sha);
            return new LocalReadable(info, in);
        } catch (NoSuchFileException e) {
            throw notFound(key);
        } catch (IOException e) {
            throw new StorageException(StorageError.IO, "cannot open '" + key + "' in " + description + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        // Nothing held between calls.
    }

    private Optional<BasicFileAttributes> regularFile(String key, Path p) throws StorageException {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isRegularFile()) {
                return Optional.empty();
            }
            paths.requireInside(key, p);
            return Optional.of(a);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            if (!Files.exists(p.getParent(), LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            throw new StorageException(StorageError.IO, "cannot read '" + key + "' in " + description + ": " + e.getMessage(), e);
        }
    }

    private StorageException notFound(String key) {
        return new StorageException(StorageError.OBJECT_NOT_FOUND, "no object '" + key + "' in " + description);
    }

    private byte[] hashFile(Path p) throws StorageException {
        try {
            return Digests.sha256(p);
        } catch (IOException e) {
            throw new StorageException(StorageError.IO, "cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    private static void requireBucketName(String bucket) throws StorageException {
        if (bucket == null || bucket.isEmpty() || bucket.contains("/") || bucket.startsWith(".") || ObjectKeys.isValid(bucket) == false) {
            throw new StorageException(StorageError.INVALID_KEY, "invalid local bucket name " + (bucket == null ? "(null)" : "'" + bucket + "'")
                    + ": it must be one directory name, not starting with '.'");
        }
    }

    /** One open file, read by ranges. The file handle pins the version even if the key is replaced meanwhile. */
    private static final class LocalReadable implements ReadableObject {
        private final ObjectInfo info;
        private final FileChannel in;

        LocalReadable(ObjectInfo info, FileChannel in) {
            this.info = info;
            this.in = in;
        }

        @Override
        public ObjectInfo info() {
            return info;
        }

        @Override
        public void copyRange(long offset, long length, FileChannel out) throws StorageException {
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(COPY_BUFFER, length));
            try {
                for (long done = 0; done < length; ) {
                    buffer.clear().limit((int) Math.min(buffer.capacity(), length - done));
                    int n = in.read(buffer, offset + done);
                    if (n < 0) {
                        throw new StorageException(StorageError.INTEGRITY, "'" + info.key() + "' ended at byte " + (offset + done) + " while being read");
                    }
                    buffer.flip();
                    while (buffer.hasRemaining()) {
                        out.write(buffer, offset + done + buffer.position());
                    }
                    done += n;
                }
            } catch (IOException e) {
                throw new StorageException(StorageError.IO, "cannot copy '" + info.key() + "': " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            try {
                in.close();
            } catch (IOException e) {
                // Read-only: nothing lost.
            }
        }
    }
}
