package io.skyhaul.transport.files;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;

/**
 * The append-only record of verified blocks, kept beside the partial files so an interrupted
 * transfer resumes with only the missing blocks. Records are written in byte-space order, one
 * per block of {@link #BLOCK_SIZE} bytes of a file (the last block of a file may be shorter):
 * {@code file(4) block(4) crc32c(4) recordCrc32(4)}. A torn last record fails its record CRC and
 * is ignored; a block whose data no longer matches its CRC32C ends the trusted prefix.
 */
public final class ReceiveJournal implements Closeable {
    public static final int BLOCK_SIZE = 1 << 20;
    static final int RECORD = 16;
    private static final int FLUSH_RECORDS = 64;

    private final FileChannel channel;
    private final ByteBuffer pending = ByteBuffer.allocate(RECORD * FLUSH_RECORDS);

    private ReceiveJournal(FileChannel channel) {
        this.channel = channel;
    }

    /** A block the journal vouches for. */
    public record Block(int file, int block, int crc32c) {
    }

    /** Reads the records of an existing journal (stopping at the first torn one). */
    public static java.util.List<Block> read(Path path) throws IOException {
        java.util.List<Block> blocks = new java.util.ArrayList<>();
        if (!Files.exists(path)) {
            return blocks;
        }
        ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(path));
        CRC32 crc = new CRC32();
        while (all.remaining() >= RECORD) {
            int file = all.getInt();
            int block = all.getInt();
            int blockCrc = all.getInt();
            int recordCrc = all.getInt();
            crc.reset();
            crc.update(all.array(), all.position() - RECORD, 12);
            if ((int) crc.getValue() != recordCrc) {
                break;
            }
            blocks.add(new Block(file, block, blockCrc));
        }
        return blocks;
    }

    /** Opens the journal for appending after its first {@code keepRecords} records. */
    public static ReceiveJournal openForAppend(Path path, int keepRecords) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        ch.truncate((long) keepRecords * RECORD);
        ch.position((long) keepRecords * RECORD);
        return new ReceiveJournal(ch);
    }

    public synchronized void append(int file, int block, int crc32c) throws IOException {
        CRC32 crc = new CRC32();
        int start = pending.position();
        pending.putInt(file).putInt(block).putInt(crc32c);
        crc.update(pending.array(), start, 12);
        pending.putInt((int) crc.getValue());
        if (!pending.hasRemaining()) {
            flush();
        }
    }

    /** Writes buffered records to the file (they survive a crash of this process from then on). */
    public synchronized void flush() throws IOException {
        pending.flip();
        while (pending.hasRemaining()) {
            channel.write(pending);
        }
        pending.clear();
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            flush();
        } finally {
            channel.close();
        }
    }
}
