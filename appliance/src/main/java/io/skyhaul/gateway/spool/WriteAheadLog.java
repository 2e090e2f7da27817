package io.skyhaul.gateway.spool;

import io.skyhaul.storage.engine.LocalFiles;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The spool's append-only log of {@link WalRecord}s (framing in {@link WalFrames}).
 *
 * <p>Appends and fsyncs are separate so that fsyncs are grouped: {@link #append} writes the
 * record into the file and returns its sequence number; {@link #awaitDurable} returns once
 * that record is on disk, and one fsync covers every record appended before it started, so
 * writers arriving during an fsync share the next one.
 *
 * <p>After a failed write or fsync the log refuses every further call: a partial write leaves
 * a torn record that later appends would bury mid-file, and after a failed fsync Linux may
 * have dropped the dirty pages, so nothing written since can be vouched for. Reopening the
 * spool recovers from what is really on disk.
 *
 * <p>Lock order: {@code syncLock} before {@code appendLock}; callers may hold their own lock around both.
 */
final class WriteAheadLog implements Closeable {
    private final Path file;
    private final Object appendLock = new Object();
    private final Object syncLock = new Object();
    private FileChannel channel;   // written under appendLock; replaced under both locks
    private long appended;         // guarded by appendLock
    private long records;          // records in the current file; guarded by appendLock
    private volatile long durable; // written under syncLock
    private volatile IOException broken;

    private WriteAheadLog(Path file, FileChannel channel, long records) {
        this.file = file;
        this.channel = channel;
        this.records = records;
    }

    /** Creates an empty log, whole or not at all (written beside, then renamed into place). */
    static void create(Path file) throws IOException {
        writeAndReplace(file, List.of());
    }

    /** Opens the log to append after its first {@code validLength} bytes, cutting off a torn tail durably. */
    static WriteAheadLog openForAppend(Path file, long validLength, long records) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE);
        try {
            if (ch.size() > validLength) {
                ch.truncate(validLength);
                ch.force(true);
            }
            ch.position(validLength);
            return new WriteAheadLog(file, ch, records);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    Path file() {
        return file;
    }

    /** Writes a record (not yet durable); returns the sequence number to pass to {@link #awaitDurable}. */
    long append(WalRecord record) throws IOException {
        ByteBuffer frame = WalFrames.frame(record);
        synchronized (appendLock) {
            checkUsable();
            try {
                while (frame.hasRemaining()) {
                    channel.write(frame);
                }
            } catch (IOException e) {
                broken = e;
                throw e;
            }
            records++;
            return ++appended;
        }
    }

    /** Returns once record {@code seq} and all before it are on disk. */
    void awaitDurable(long seq) throws IOException {
        synchronized (syncLock) {
            if (durable >= seq) {
                return;
            }
            checkUsable();
            long upTo;
            FileChannel ch;
            synchronized (appendLock) {
                upTo = appended;
                ch = channel;
            }
            try {
                // fdatasync: it persists the size of the appended file too, which is all a log needs.
                ch.force(false);
            } catch (IOException e) {
                broken = e;
                throw e;
            }
            durable = upTo;
        }
    }

    /** Records in the current file (live and dead). */
    long records() {
        synchronized (appendLock) {
            return records;
        }
    }

    /**
     * Compaction: replaces the file by one holding only {@code live}, which must describe every
     * record appended so far (the caller holds its state lock, so nothing is appended meanwhile).
     * A failure before the rename leaves the old file in use; one after it breaks the log.
     */
    void rewrite(List<WalRecord> live) throws IOException {
        synchronized (syncLock) {
            synchronized (appendLock) {
                checkUsable();
                Path written = writeBeside(file, live);
                try {
                    // From the rename on, the old channel points at an unlinked file: any failure breaks the log.
                    Files.move(written, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    LocalFiles.fsyncDirectory(file.getParent());
                    FileChannel fresh = FileChannel.open(file, StandardOpenOption.WRITE);
                    fresh.position(fresh.size());
                    channel.close();
                    channel = fresh;
                } catch (IOException e) {
                    broken = e;
                    throw e;
                }
                records = live.size();
                durable = appended;
            }
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (syncLock) {
            synchronized (appendLock) {
                if (broken == null) {
                    broken = new IOException("the spool's write-ahead log " + file + " is closed");
                }
                channel.close();
            }
        }
    }

    private void checkUsable() throws IOException {
        IOException b = broken;
        if (b != null) {
            throw new IOException("the spool's write-ahead log " + file + " is unusable after an earlier failure (" + b.getMessage()
                    + "); reopen the spool to recover", b);
        }
    }

    private static void writeAndReplace(Path file, List<WalRecord> records) throws IOException {
        Files.move(writeBeside(file, records), file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        LocalFiles.fsyncDirectory(file.getParent());
    }

    /** Writes {@code records} to {@code file.new} and fsyncs it; a failure leaves no {@code .new} behind. */
    private static Path writeBeside(Path file, List<WalRecord> records) throws IOException {
        Path fresh = file.resolveSibling(file.getFileName() + ".new");
        try (FileChannel ch = FileChannel.open(fresh, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            write(ch, WalFrames.fileHeader());
            for (WalRecord r : records) {
                write(ch, WalFrames.frame(r));
            }
            ch.force(true);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(fresh);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        return fresh;
    }

    private static void write(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }
}
