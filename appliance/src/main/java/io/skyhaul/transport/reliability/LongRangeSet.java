package io.skyhaul.transport.reliability;

import java.util.Arrays;

/**
 * A set of half-open ranges [start, end) of a 64-bit space, kept merged and sorted in two
 * primitive arrays. Data mostly arrives in order, so the common case (extending the last range)
 * costs no allocation and no search.
 */
public final class LongRangeSet {
    private long[] starts = new long[16];
    private long[] ends = new long[16];
    private int size;

    /** Adds [start, end); returns the number of bytes that were not in the set before. */
    public long add(long start, long end) {
        if (end <= start) {
            return 0;
        }
        if (size > 0 && start >= starts[size - 1] && start <= ends[size - 1]) {
            long before = ends[size - 1];
            if (end > before) {
                ends[size - 1] = end;
                return end - before;
            }
            return 0;
        }
        if (size == 0 || start > ends[size - 1]) {
            insertAt(size, start, end);
            return end - start;
        }
        int i = firstEndingAtOrAfter(start);
        if (i == size || starts[i] > end) {
            insertAt(i, start, end);
            return end - start;
        }
        long covered = 0;
        long newStart = Math.min(start, starts[i]);
        long newEnd = end;
        int j = i;
        while (j < size && starts[j] <= end) {
            covered += Math.max(0, Math.min(ends[j], end) - Math.max(starts[j], start));
            newEnd = Math.max(newEnd, ends[j]);
            j++;
        }
        starts[i] = newStart;
        ends[i] = newEnd;
        int removed = j - i - 1;
        if (removed > 0) {
            System.arraycopy(starts, j, starts, i + 1, size - j);
            System.arraycopy(ends, j, ends, i + 1, size - j);
            size -= removed;
        }
        return (end - start) - covered;
    }

    /** True when every byte of [start, end) is in the set. */
    public boolean contains(long start, long end) {
        if (end <= start) {
            return true;
        }
        int i = firstEndingAtOrAfter(start + 1);
        return i < size && starts[i] <= start && ends[i] >= end;
    }

    /** End of the range that starts at {@code origin}, i.e. how far the set covers [origin, x) without a gap. */
    public long contiguousFrom(long origin) {
        if (size == 0 || starts[0] > origin) {
            return origin;
        }
        int i = firstEndingAtOrAfter(origin);
        if (i < size && starts[i] <= origin) {
            return ends[i];
        }
        return origin;
    }

    /** Position of the first range starting after {@code from} (Long.MAX_VALUE if none). */
    public long nextStartAfter(long from) {
        int i = firstEndingAtOrAfter(from + 1);
        if (i < size && starts[i] <= from) {
            i++;
        }
        return i < size ? starts[i] : Long.MAX_VALUE;
    }

    public int rangeCount() {
        return size;
    }

    public long start(int i) {
        return starts[i];
    }

    public long end(int i) {
        return ends[i];
    }

    public long totalLength() {
        long n = 0;
        for (int i = 0; i < size; i++) {
            n += ends[i] - starts[i];
        }
        return n;
    }

    private int firstEndingAtOrAfter(long position) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ends[mid] < position) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private void insertAt(int i, long start, long end) {
        if (size == starts.length) {
            starts = Arrays.copyOf(starts, size * 2);
            ends = Arrays.copyOf(ends, size * 2);
        }
        System.arraycopy(starts, i, starts, i + 1, size - i);
        System.arraycopy(ends, i, ends, i + 1, size - i);
        starts[i] = start;
        ends[i] = end;
        size++;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < size; i++) {
            b.append(i == 0 ? "" : ", ").append(starts[i]).append('-').append(ends[i]);
        }
        return b.append(']').toString();
    }
}
