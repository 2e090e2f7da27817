package io.skyhaul.transport.files;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.zip.CRC32C;

/**
 * Follows the receiver's contiguous watermark on its own thread: reads back each partial file
 * as its bytes become contiguous, computes the file's SHA-256, and journals the CRC32C of every
 * completed block. When it has hashed every file it calls {@code onAllHashed} once.
 */
public final class ReceiveVerifier implements Closeable {
    private static final int READ_CHUNK = 1 << 20;

    private final TransferLayout layout;
    private final IntFunction<Path> partFile;
    private final ReceiveJournal journal;
    private final long journaledUpTo;
    private final Runnable onAllHashed;
    private final ReceiveTap tap;
    private final byte[] digests;
    private final IntFunction<String> paths;
    private final Thread thread;
    private volatile long watermark;
    private volatile boolean closed;
    private volatile boolean done;
    private volatile IOException failure;

    /**
     * @param journaledUpTo byte-space offset below which blocks are already in the journal
     */
    public ReceiveVerifier(TransferLayout layout, IntFunction<Path> partFile, ReceiveJournal journal, long journaledUpTo,
            Runnable onAllHashed) {
        this(layout, partFile, journal, journaledUpTo, onAllHashed, ReceiveTap.NONE, null);
    }

    /**
     * @param tap sees every file's bytes in order as they are verified
     * @param paths the files' manifest paths, by index, for the tap
     */
    public ReceiveVerifier(TransferLayout layout, IntFunction<Path> partFile, ReceiveJournal journal, long journaledUpTo,
            Runnable onAllHashed, ReceiveTap tap, IntFunction<String> paths) {
        this.tap = tap;
        this.paths = paths;
        this.layout = layout;
        this.partFile = partFile;
        this.journal = journal;
        this.journaledUpTo = journaledUpTo;
        this.onAllHashed = onAllHashed;
        this.digests = new byte[layout.fileCount() * TransferLayout.DIGEST_LENGTH];
        this.thread = new Thread(this::run, "skyhaul-receive-verifier");
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Tells the verifier that [0, watermark) of the byte space is on disk. */
    public void advance(long newWatermark) {
        if (newWatermark > watermark) {
            watermark = newWatermark;
            LockSupport.unpark(thread);
        }
    }

    public boolean done() {
        return done;
    }

    public IOException failure() {
        return failure;
    }

    public byte[] digest(int file) {
        return java.util.Arrays.copyOfRange(digests, file * TransferLayout.DIGEST_LENGTH, (file + 1) * TransferLayout.DIGEST_LENGTH);
    }

    private void run() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            CRC32C crc = new CRC32C();
            ByteBuffer buffer = ByteBuffer.allocateDirect(READ_CHUNK);
            for (int f = 0; f < layout.fileCount() && !closed; f++) {
                long size = layout.fileSize(f);
                long start = layout.fileStart(f);
                sha.reset();
                if (tap != ReceiveTap.NONE) {
                    tap.fileStarted(f, paths.apply(f), size);
                }
                while (size > 0 && watermark <= start && !closed) {
                    journal.flush();
                    LockSupport.parkNanos(this, 20_000_000L);
                }
                if (size > 0 && !closed) {
                    // The writer creates a partial file with its first bytes; the watermark says they are there.
                    try (FileChannel ch = FileChannel.open(partFile.apply(f), StandardOpenOption.READ)) {
                        long position = 0;
                        while (position < size && !closed) {
                            long available = Math.min(size, watermark - start);
                            if (available <= position) {
                                journal.flush();
                                LockSupport.parkNanos(this, 20_000_000L);
                                continue;
                            }
                            long blockEnd = Math.min(size, (position / ReceiveJournal.BLOCK_SIZE + 1) * ReceiveJournal.BLOCK_SIZE);
                            int n = (int) (Math.min(available, blockEnd) - position);
                            buffer.clear().limit(n);
                            while (buffer.hasRemaining()) {
                                if (ch.read(buffer, position + buffer.position()) < 0) {
                                    throw new IOException("partial file " + partFile.apply(f) + " is shorter than the data written to it");
                                }
                            }
                            buffer.flip();
                            crc.update(buffer.duplicate());
                            if (tap != ReceiveTap.NONE) {
                                tap.bytes(f, buffer.duplicate());
                            }
                            sha.update(buffer);
                            position += n;
                            if (position == blockEnd) {
                                if (start + position > journaledUpTo) {
                                    journal.append(f, (int) ((position - 1) / ReceiveJournal.BLOCK_SIZE), (int) crc.getValue());
                                }
                                crc.reset();
                            }
                        }
                    }
                }
                if (closed) {
                    break;
                }
                byte[] fileDigest = sha.digest();
                System.arraycopy(fileDigest, 0, digests, f * TransferLayout.DIGEST_LENGTH, TransferLayout.DIGEST_LENGTH);
                if (tap != ReceiveTap.NONE) {
                    tap.fileHashed(f, fileDigest);
                }
            }
            journal.flush();
            if (!closed) {
                done = true;
                onAllHashed.run();
            }
        } catch (IOException e) {
            failure = e;
            onAllHashed.run();
        } catch (NoSuchAlgorithmException e) {
            failure = new IOException("SHA-256 is not available", e);
            onAllHashed.run();
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
    }
}
