package io.skyhaul.transport.reliability;

/** FIFO of byte ranges to send again, in two primitive rings (no allocation per loss). */
public final class RetransmitQueue {
    private long[] offsets = new long[1024];
    private int[] lengths = new int[1024];
    private int head;
    private int size;

    public void add(long offset, int length) {
        if (size == offsets.length) {
            grow();
        }
        int tail = (head + size) & (offsets.length - 1);
        offsets[tail] = offset;
        lengths[tail] = length;
        size++;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public int size() {
        return size;
    }

    public long peekOffset() {
        return offsets[head];
    }

    public int peekLength() {
        return lengths[head];
    }

    public void pop() {
        head = (head + 1) & (offsets.length - 1);
        size--;
    }

    private void grow() {
        long[] o = new long[offsets.length * 2];
        int[] l = new int[lengths.length * 2];
        for (int i = 0; i < size; i++) {
            o[i] = offsets[(head + i) & (offsets.length - 1)];
            l[i] = lengths[(head + i) & (lengths.length - 1)];
        }
        offsets = o;
        lengths = l;
        head = 0;
    }
}
