package io.skyhaul.transport.files;

import java.io.Closeable;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * File contents through memory-mapped segments, so that moving a datagram's worth of bytes
 * costs a memory copy and no system call. Keeps a bounded number of segments mapped and unmaps
 * the least recently used one explicitly (a mapping otherwise lives until garbage collection).
 *
 * <p>A file that shrinks under a mapping makes the JVM raise {@link InternalError} on access;
 * that is turned into an {@link IOException} with the file's name.
 */
final class MappedSegments implements Closeable {
    static final long SEGMENT = 64L << 20;
    private static final int MAX_MAPPED = 32;
    private static final Unmapper UNMAPPER = new Unmapper();

    private record Key(Path path, long index) {
    }

    private final boolean writable;
    private final LinkedHashMap<Key, MappedByteBuffer> mapped = new LinkedHashMap<>(64, 0.75f, true);

    MappedSegments(boolean writable) {
        this.writable = writable;
    }

    /** Copies {@code dst.remaining()} bytes of {@code file} (of total length {@code fileSize}) from {@code position}. */
    void read(Path file, long fileSize, long position, ByteBuffer dst) throws IOException {
        try {
            while (dst.hasRemaining()) {
                MappedByteBuffer segment = segment(file, fileSize, position / SEGMENT);
                int inSegment = (int) (position % SEGMENT);
                int n = Math.min(dst.remaining(), segment.capacity() - inSegment);
                dst.put(segment.duplicate().position(inSegment).limit(inSegment + n));
                position += n;
            }
        } catch (InternalError e) {
            throw new IOException("'" + file + "' changed (became shorter?) while being read", e);
        }
    }

    /** Copies {@code src} into {@code file} (of final length {@code fileSize}) at {@code position}. */
    void write(Path file, long fileSize, long position, ByteBuffer src) throws IOException {
        try {
            while (src.hasRemaining()) {
                MappedByteBuffer segment = segment(file, fileSize, position / SEGMENT);
                int inSegment = (int) (position % SEGMENT);
                int n = Math.min(src.remaining(), segment.capacity() - inSegment);
                ByteBuffer piece = src.duplicate();
                piece.limit(piece.position() + n);
                segment.duplicate().position(inSegment).put(piece);
                src.position(src.position() + n);
                position += n;
            }
        } catch (InternalError e) {
            throw new IOException("cannot write '" + file + "': the disk may be full", e);
        }
    }

    private MappedByteBuffer segment(Path file, long fileSize, long index) throws IOException {
        Key key = new Key(file, index);
        MappedByteBuffer m = mapped.get(key);
        if (m != null) {
            return m;
        }
        long start = index * SEGMENT;
        long length = Math.min(SEGMENT, fileSize - start);
        if (length <= 0) {
            throw new IOException("position " + start + " is past the end of '" + file + "' (" + fileSize + " bytes)");
        }
        try (FileChannel ch = writable
                ? FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)
                : FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            if (!writable && ch.size() < start + length) {
                throw new IOException("'" + file + "' is shorter than expected (" + ch.size() + " < " + fileSize + " bytes)");
            }
            m = ch.map(writable ? FileChannel.MapMode.READ_WRITE : FileChannel.MapMode.READ_ONLY, start, length);
        }
        if (mapped.size() >= MAX_MAPPED) {
            Iterator<Map.Entry<Key, MappedByteBuffer>> eldest = mapped.entrySet().iterator();
            UNMAPPER.unmap(eldest.next().getValue());
            eldest.remove();
        }
        mapped.put(key, m);
        return m;
    }

    /** Unmaps every segment of one file (before it is renamed or deleted). */
    void release(Path file) {
        for (Iterator<Map.Entry<Key, MappedByteBuffer>> it = mapped.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, MappedByteBuffer> e = it.next();
            if (Objects.equals(e.getKey().path(), file)) {
                UNMAPPER.unmap(e.getValue());
                it.remove();
            }
        }
    }

    @Override
    public void close() {
        for (MappedByteBuffer m : mapped.values()) {
            UNMAPPER.unmap(m);
        }
        mapped.clear();
    }

    /** Unmaps through sun.misc.Unsafe#invokeCleaner when the JDK offers it; otherwise leaves it to the GC. */
    private static final class Unmapper {
        private final Object unsafe;
        private final Method invokeCleaner;

        Unmapper() {
            Object u = null;
            Method m = null;
            try {
                Class<?> c = Class.forName("sun.misc.Unsafe");
                Field f = c.getDeclaredField("theUnsafe");
                f.setAccessible(true);
                u = f.get(null);
                m = c.getMethod("invokeCleaner", ByteBuffer.class);
            } catch (ReflectiveOperationException | RuntimeException e) {
                u = null;
                m = null;
            }
            this.unsafe = u;
            this.invokeCleaner = m;
        }

        void unmap(MappedByteBuffer buffer) {
            if (invokeCleaner == null) {
                return;
            }
            try {
                invokeCleaner.invoke(unsafe, buffer);
            } catch (ReflectiveOperationException e) {
                // Unmapping early only saves address space; the GC unmaps it later.
            }
        }
    }
}
