package io.skyhaul.storage.local;

import io.skyhaul.storage.ObjectInfo;
import io.skyhaul.storage.StorageError;
import io.skyhaul.storage.StorageException;
import io.skyhaul.storage.StoreSettings;
import io.skyhaul.storage.engine.Digests;
import io.skyhaul.storage.engine.LocalFiles;
import io.skyhaul.storage.engine.MultipartUpload;
import io.skyhaul.storage.engine.UploadTarget;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local upload: parts are written at their offsets into a hidden temp file in the object's
 * directory; the commit fsyncs it, re-reads it to check that the bytes on disk hash to the
 * verified SHA-256, stores the digest in an extended attribute, and renames it into place
 * atomically (or links it, failing if the key exists, under {@code Overwrite.NEVER}). No reader
 * ever sees a half-written file under the object's name.
 */
final class LocalUpload extends MultipartUpload<Long> {
    private static final Logger LOG = LoggerFactory.getLogger(LocalUpload.class);
    private static final int VERIFY_BUFFER = 1 << 20;

    private final LocalObjectStore store;
    private final Path destination;
    private final Path temp;
    private final FileChannel channel;

    LocalUpload(LocalObjectStore store, UploadTarget upload, StoreSettings settings, Path target) throws StorageException {
        super(upload, settings);
        this.store = store;
        this.destination = target;
        this.temp = target.resolveSibling(LocalPaths.tempName(upload.uploadId()));
        try {
            this.channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new StorageException(StorageError.IO, "cannot create the temp file " + temp + " for '" + upload.key() + "': " + e.getMessage(), e);
        }
    }

    @Override
    protected Long sendPart(int n, ByteBuffer data, int crc32c) throws StorageException {
        long position = target.plan().offset(n);
        long written = 0;
        try {
            while (data.hasRemaining()) {
                written += channel.write(data, position + written);
            }
        } catch (IOException e) {
            throw new StorageException(StorageError.IO, "cannot write part " + n + " of '" + key() + "' to " + temp + ": " + e.getMessage(), e);
        }
        return written;
    }

    @Override
    protected ObjectInfo commit(List<Long> parts, byte[] sha256, boolean mustNotExist) throws StorageException {
        try {
            channel.force(true);
            byte[] onDisk = hashTemp();
            if (!Arrays.equals(onDisk, sha256)) {
                throw new StorageException(StorageError.INTEGRITY, "the temp file of '" + key() + "' hashes to " + Digests.hex(onDisk)
                        + " on disk, not " + Digests.hex(sha256) + ": nothing was committed");
            }
            Sha256Attribute.write(temp, sha256);
            channel.close();
            publish(mustNotExist);
            LocalFiles.fsyncDirectory(destination.getParent());
            return new ObjectInfo(key(), size(), Files.getLastModifiedTime(destination).toInstant(), Digests.hex(sha256));
        } catch (FileAlreadyExistsException e) {
            throw alreadyExists();
        } catch (IOException e) {
            throw new StorageException(StorageError.IO, "cannot commit '" + key() + "' to " + destination + ": " + e.getMessage(), e);
        }
    }

    @Override
    protected void discard() {
        try {
            channel.close();
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            LOG.warn("upload {}: could not delete the temp file {}: {}", uploadId(), temp, e.getMessage());
        }
    }

    @Override
    protected Optional<ObjectInfo> existing() throws StorageException {
        return store.statWithDigest(key());
    }

    private void publish(boolean mustNotExist) throws IOException {
        if (!mustNotExist) {
            Files.move(temp, destination, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        // link(2) fails if the name exists: an atomic "create only if absent".
        Files.createLink(destination, temp);
        Files.delete(temp);
    }

    private byte[] hashTemp() throws IOException {
        MessageDigest sha = Digests.sha256();
        ByteBuffer buffer = ByteBuffer.allocate(VERIFY_BUFFER);
        long size = channel.size();
        for (long position = 0; position < size; ) {
            buffer.clear();
            int n = channel.read(buffer, position);
            if (n < 0) {
                break;
            }
            position += n;
            sha.update(buffer.flip());
        }
        return sha.digest();
    }
}
