package io.skyhaul.transport.files;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Computes the SHA-256 of every source file, in order, on its own thread, while the transfer
 * runs. The digest table at the end of the byte space is sent only when all are known.
 */
public final class SourceHasher implements Closeable {
    private static final int BUFFER = 1 << 20;
    private final List<Path> files;
    private final TransferLayout layout;
    private final byte[] table;
    private final Thread thread;
    private volatile boolean done;
    private volatile IOException failure;
    private volatile boolean closed;

    SourceHasher(List<Path> files, TransferLayout layout) {
        this.files = files;
        this.layout = layout;
        this.table = new byte[files.size() * TransferLayout.DIGEST_LENGTH];
        this.thread = new Thread(this::run, "skyhaul-source-hasher");
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    public boolean done() {
        return done;
    }

    /** The failure that stopped hashing (a file changed or vanished), or null. */
    public IOException failure() {
        return failure;
    }

    public byte[] digest(int file) {
        if (!done) {
            throw new IllegalStateException("digests are not ready");
        }
        return java.util.Arrays.copyOfRange(table, file * TransferLayout.DIGEST_LENGTH, (file + 1) * TransferLayout.DIGEST_LENGTH);
    }

    void readTable(long offset, ByteBuffer target) {
        if (!done) {
            throw new IllegalStateException("digest table read before hashing finished");
        }
        target.put(table, (int) offset, target.remaining());
    }

    private void run() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);
            for (int f = 0; f < files.size() && !closed; f++) {
                long expected = layout.fileSize(f);
                long read = 0;
                try (FileChannel ch = FileChannel.open(files.get(f), StandardOpenOption.READ)) {
                    while (read < expected && !closed) {
                        buffer.clear().limit((int) Math.min(BUFFER, expected - read));
                        int n = ch.read(buffer, read);
                        if (n < 0) {
                            throw new IOException("'" + files.get(f) + "' became shorter while being sent");
                        }
                        buffer.flip();
                        sha.update(buffer);
                        read += n;
                    }
                    if (ch.size() != expected) {
                        throw new IOException("'" + files.get(f) + "' changed size while being sent (" + expected + " -> " + ch.size() + " bytes)");
                    }
                }
                System.arraycopy(sha.digest(), 0, table, f * TransferLayout.DIGEST_LENGTH, TransferLayout.DIGEST_LENGTH);
            }
            done = !closed;
        } catch (IOException e) {
            failure = e;
        } catch (NoSuchAlgorithmException e) {
            failure = new IOException("SHA-256 is not available", e);
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
