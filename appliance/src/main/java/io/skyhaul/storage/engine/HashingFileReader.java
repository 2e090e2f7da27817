package io.skyhaul.storage.engine;

import io.skyhaul.storage.StorageError;
import io.skyhaul.storage.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/**
 * Reads a file of a known size front to back, hashing every byte as it goes, and fails closed at
 * the length boundary: a file that ends early or goes on past its size (it changed while being
 * read) is an error, never a silently different object.
 */
public final class HashingFileReader implements AutoCloseable {
    private final Path file;
    private final long size;
    private final FileChannel channel;
    private final MessageDigest sha = Digests.sha256();
    private long position;

    public HashingFileReader(Path file, long size) throws StorageException {
        this.file = file;
        this.size = size;
        try {
            this.channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new StorageException(StorageError.IO, "cannot open " + file + " for reading: " + e.getMessage(), e);
        }
    }

    /** Fills {@code buffer} (position to limit) with the next bytes of the file and hashes them; leaves it flipped for reading. */
    public void readFully(ByteBuffer buffer) throws StorageException {
        int start = buffer.position();
        try {
            while (buffer.hasRemaining()) {
                int n = channel.read(buffer, position);
                if (n < 0) {
                    throw new StorageException(StorageError.IO, file + " ended at byte " + position + " but was " + size
                            + " bytes when the upload began: it changed while being read");
                }
                position += n;
            }
        } catch (IOException e) {
            throw new StorageException(StorageError.IO, "cannot read " + file + " at byte " + position + ": " + e.getMessage(), e);
        }
        buffer.flip().position(start);
        sha.update(buffer.duplicate());
    }

    /** After the last byte: checks that the file ends where it should and returns its SHA-256. */
    public byte[] finish() throws StorageException {
        try {
            if (position != size || channel.read(ByteBuffer.allocate(1), position) >= 0) {
                throw new StorageException(StorageError.IO, file + " grew past the " + size
                        + " bytes it had when the upload began: it changed while being read");
            }
        } catch (IOException e) {
            throw new StorageException(StorageError.IO, "cannot read " + file + ": " + e.getMessage(), e);
        }
        return sha.digest();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // Read-only channel: nothing was lost by failing to close it.
        }
    }
}
