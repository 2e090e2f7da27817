package io.skyhaul.gateway.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The log file's framing. The file starts with {@code "SKYSPOOL"} and a version (int); then each
 * record is {@code length(4) crc32c(length)(4) crc32c(payload)(4) payload(length)}.
 *
 * <p>The length has its own checksum so that a damaged length is told apart from a record cut
 * short: a record that runs past the end of the file, or a zero-filled or checksum-failing
 * record that is the last thing in the file, is the torn tail of an append interrupted by a
 * crash (fsync had not returned, so nobody was told it was durable) and is cut off. Damage with
 * valid data after it is corruption and is reported with its offset, never skipped.
 */
final class WalFrames {
    static final byte[] MAGIC = "SKYSPOOL".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int FILE_HEADER = MAGIC.length + 4;
    static final int FRAME_HEADER = 12;
    /** Far above any record the spool writes (a batch of every id); a larger length is damage. */
    static final int MAX_PAYLOAD = 64 << 20;
    private static final int SCAN_CHUNK = 64 * 1024;

    private WalFrames() {
    }

    /** A record and where its frame starts. */
    record Framed(long offset, WalRecord record) {
    }

    /**
     * What the file holds.
     *
     * @param validLength where the last whole record ends: appends continue there
     * @param tornBytes   bytes after it, an interrupted append
     */
    record Contents(List<Framed> records, long validLength, long tornBytes) {
    }

    static ByteBuffer fileHeader() {
        return ByteBuffer.allocate(FILE_HEADER).put(MAGIC).putInt(VERSION).flip();
    }

    static ByteBuffer frame(WalRecord record) {
        byte[] payload = WalCodec.encode(record);
        ByteBuffer buf = ByteBuffer.allocate(FRAME_HEADER + payload.length);
        buf.putInt(payload.length).putInt(lengthCrc(payload.length)).putInt(crc(payload, 0, payload.length)).put(payload);
        return buf.flip();
    }

    static Contents read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            checkFileHeader(file, ch, size);
            List<Framed> records = new ArrayList<>();
            long pos = FILE_HEADER;
            while (pos < size) {
                long remaining = size - pos;
                if (remaining < FRAME_HEADER) {
                    return new Contents(records, pos, remaining);
                }
                ByteBuffer header = readFully(ch, pos, FRAME_HEADER);
                int length = header.getInt();
                int lengthCrc = header.getInt();
                int payloadCrc = header.getInt();
                if (lengthCrc != lengthCrc(length) || length <= 0 || length > MAX_PAYLOAD) {
                    if (zeroFrom(ch, pos, size)) {
                        return new Contents(records, pos, remaining);
                    }
                    throw new SpoolCorruptException(file, pos, "record header fails its checksum and data follows it");
                }
                if (FRAME_HEADER + (long) length > remaining) {
                    return new Contents(records, pos, remaining);
                }
                ByteBuffer payload = readFully(ch, pos + FRAME_HEADER, length);
                if (crc(payload.array(), 0, length) != payloadCrc) {
                    if (pos + FRAME_HEADER + length == size) {
                        return new Contents(records, pos, remaining);
                    }
                    throw new SpoolCorruptException(file, pos, "record of " + length + " bytes fails its checksum and data follows it");
                }
                try {
                    records.add(new Framed(pos, WalCodec.decode(payload)));
                } catch (WalCodec.MalformedRecordException e) {
                    throw new SpoolCorruptException(file, pos, "record passes its checksum but does not decode: " + e.getMessage());
                }
                pos += FRAME_HEADER + length;
            }
            return new Contents(records, pos, 0);
        }
    }

    private static void checkFileHeader(Path file, FileChannel ch, long size) throws IOException {
        // The header is written to a new file that is renamed into place, so it is never torn.
        if (size < FILE_HEADER) {
            throw new SpoolCorruptException(file, 0, "only " + size + " bytes, shorter than the file header");
        }
        ByteBuffer h = readFully(ch, 0, FILE_HEADER);
        byte[] magic = new byte[MAGIC.length];
        h.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new SpoolCorruptException(file, 0, "not a spool write-ahead log (no SKYSPOOL header)");
        }
        int version = h.getInt();
        if (version != VERSION) {
            throw new SpoolCorruptException(file, MAGIC.length, "format version " + version + ", this program reads version " + VERSION);
        }
    }

    private static boolean zeroFrom(FileChannel ch, long from, long size) throws IOException {
        for (long pos = from; pos < size; pos += SCAN_CHUNK) {
            ByteBuffer chunk = readFully(ch, pos, (int) Math.min(SCAN_CHUNK, size - pos));
            for (byte b : chunk.array()) {
                if (b != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    private static ByteBuffer readFully(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            if (ch.read(buf, position + buf.position()) < 0) {
                throw new IOException("file shrank while being read at " + (position + buf.position()));
            }
        }
        return buf.flip();
    }

    private static int lengthCrc(int length) {
        byte[] b = ByteBuffer.allocate(4).putInt(length).array();
        return crc(b, 0, 4);
    }

    private static int crc(byte[] b, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(b, off, len);
        return (int) crc.getValue();
    }
}
