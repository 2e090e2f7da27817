package io.skyhaul.transport.files;

import java.util.Arrays;
import java.util.List;

/**
 * Maps a session's byte space onto what it carries. One reliable byte space per session:
 * <pre>
 *   [0, 4)                     manifest length (u32)
 *   [4, headerEnd)             manifest
 *   [headerEnd, tableStart)    the files' contents, one after the other in manifest order
 *   [tableStart, total)        the SHA-256 of every file, 32 bytes each, in manifest order
 * </pre>
 * Loss recovery, acknowledgement and resume all work on this one space, so 10,000 small files
 * cost no more round trips than one large file.
 */
public final class TransferLayout {
    public static final int LENGTH_PREFIX = 4;
    public static final int DIGEST_LENGTH = 32;

    /** The kinds of region a piece of the byte space belongs to. */
    public enum Region { HEADER, FILE, DIGEST_TABLE }

    /** Receives the pieces of a byte range, each inside one region. */
    @FunctionalInterface
    public interface PieceVisitor<E extends Exception> {
        /**
         * @param file the file ordinal (index among files, not entries) for FILE pieces, else -1
         * @param regionOffset offset of the piece inside its region (inside the file for FILE)
         * @param rangeOffset offset of the piece inside the visited range
         */
        void piece(Region region, int file, long regionOffset, int rangeOffset, int length) throws E;
    }

    private final long headerEnd;
    private final long[] fileStarts;
    private final long[] fileSizes;
    private final int[] fileEntries;
    private final long tableStart;
    private final long total;

    public TransferLayout(Manifest manifest) {
        this.headerEnd = LENGTH_PREFIX + (long) manifest.encodedLength();
        List<ManifestEntry> entries = manifest.entries();
        int files = (int) manifest.fileCount();
        this.fileStarts = new long[files];
        this.fileSizes = new long[files];
        this.fileEntries = new int[files];
        long position = headerEnd;
        int f = 0;
        for (int i = 0; i < entries.size(); i++) {
            ManifestEntry e = entries.get(i);
            if (!e.directory()) {
                fileStarts[f] = position;
                fileSizes[f] = e.size();
                fileEntries[f] = i;
                position += e.size();
                f++;
            }
        }
        this.tableStart = position;
        this.total = position + (long) DIGEST_LENGTH * files;
    }

    public long headerEnd() {
        return headerEnd;
    }

    public long tableStart() {
        return tableStart;
    }

    public long total() {
        return total;
    }

    public int fileCount() {
        return fileStarts.length;
    }

    public long fileStart(int file) {
        return fileStarts[file];
    }

    public long fileSize(int file) {
        return fileSizes[file];
    }

    /** Index in the manifest's entries of the file with this ordinal. */
    public int entryOf(int file) {
        return fileEntries[file];
    }

    /** The ordinal of the file whose region contains {@code offset} (offset must lie in the file area). */
    public int fileAt(long offset) {
        int i = Arrays.binarySearch(fileStarts, offset);
        if (i >= 0) {
            // Empty files share a start with the next file: take the last one starting here that has bytes.
            while (i + 1 < fileStarts.length && fileStarts[i + 1] == offset) {
                i++;
            }
            return i;
        }
        return -i - 2;
    }

    /** Splits [offset, offset + length) into per-region pieces. */
    public <E extends Exception> void visit(long offset, int length, PieceVisitor<E> visitor) throws E {
        long position = offset;
        long end = offset + length;
        while (position < end) {
            int rangeOffset = (int) (position - offset);
            if (position < headerEnd) {
                int n = (int) (Math.min(end, headerEnd) - position);
                visitor.piece(Region.HEADER, -1, position, rangeOffset, n);
                position += n;
            } else if (position < tableStart) {
                int file = fileAt(position);
                long fileEnd = fileStarts[file] + fileSizes[file];
                int n = (int) (Math.min(end, fileEnd) - position);
                visitor.piece(Region.FILE, file, position - fileStarts[file], rangeOffset, n);
                position += n;
            } else {
                int n = (int) (Math.min(end, total) - position);
                if (n <= 0) {
                    throw new IllegalArgumentException("range ends past the transfer: " + end + " > " + total);
                }
                visitor.piece(Region.DIGEST_TABLE, -1, position - tableStart, rangeOffset, n);
                position += n;
            }
        }
    }
}
