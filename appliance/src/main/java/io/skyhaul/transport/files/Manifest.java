package io.skyhaul.transport.files;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The list of what a session transfers. Its encoding is the first region of the session's
 * byte space; its SHA-256 identifies the transfer for resume (same files, sizes and times, same
 * staging directory and journal).
 *
 * <p>Encoding: {@code count(4)} then per entry {@code kind(1) pathLength(2) path(UTF-8) size(8) modified(8)}.
 */
public final class Manifest {
    public static final int MAX_ENTRIES = 1_000_000;
    public static final int MAX_ENCODED_BYTES = 128 * 1024 * 1024;
    /** Largest sum of file sizes: far beyond any real transfer, and keeps every byte-space offset a positive long. */
    public static final long MAX_TOTAL_BYTES = 1L << 62;
    private static final int KIND_FILE = 0;
    private static final int KIND_DIRECTORY = 1;

    private final List<ManifestEntry> entries;
    private final byte[] encoded;

    public Manifest(List<ManifestEntry> entries) {
        this.entries = List.copyOf(entries);
        this.encoded = encode(this.entries);
    }

    public List<ManifestEntry> entries() {
        return entries;
    }

    public byte[] encoded() {
        return encoded.clone();
    }

    public int encodedLength() {
        return encoded.length;
    }

    public long fileCount() {
        return entries.stream().filter(e -> !e.directory()).count();
    }

    public long totalFileBytes() {
        return entries.stream().mapToLong(ManifestEntry::size).sum();
    }

    /** Hex of the first 16 bytes of the manifest's SHA-256. */
    public String transferKey() {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(encoded);
            return java.util.HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] encode(List<ManifestEntry> entries) {
        int size = 4;
        List<byte[]> names = new ArrayList<>(entries.size());
        for (ManifestEntry e : entries) {
            byte[] name = e.path().getBytes(StandardCharsets.UTF_8);
            names.add(name);
            size += 1 + 2 + name.length + 8 + 8;
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putInt(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            ManifestEntry e = entries.get(i);
            byte[] name = names.get(i);
            b.put((byte) (e.directory() ? KIND_DIRECTORY : KIND_FILE)).putShort((short) name.length).put(name)
                    .putLong(e.size()).putLong(e.modifiedMillis());
        }
        return b.array();
    }

    /**
     * Decodes and validates a manifest received from a peer: every path must be safe, unique,
     * and not both a file and a parent of another entry.
     */
    public static Manifest decode(byte[] bytes) throws TransferRefusedException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        try {
            int count = b.getInt();
            if (count < 0 || count > MAX_ENTRIES) {
                throw new TransferRefusedException("refused a manifest of " + count + " entries (the limit is " + MAX_ENTRIES + ")");
            }
            List<ManifestEntry> entries = new ArrayList<>(Math.min(count, 65536));
            Set<String> seen = new HashSet<>();
            Set<String> files = new HashSet<>();
            long total = 0;
            for (int i = 0; i < count; i++) {
                int kind = b.get();
                byte[] name = new byte[Short.toUnsignedInt(b.getShort())];
                b.get(name);
                long size = b.getLong();
                long modified = b.getLong();
                String path = new String(name, StandardCharsets.UTF_8);
                RelativePaths.validate(path);
                if (kind != KIND_FILE && kind != KIND_DIRECTORY) {
                    throw new TransferRefusedException("refused manifest: entry '" + path + "' has unknown kind " + kind);
                }
                if (size < 0 || kind == KIND_DIRECTORY && size != 0) {
                    throw new TransferRefusedException("refused manifest: entry '" + path + "' has invalid size " + size);
                }
                if (size > MAX_TOTAL_BYTES - total) {
                    throw new TransferRefusedException("refused manifest: the files add up to more than " + MAX_TOTAL_BYTES + " bytes");
                }
                total += size;
                if (!seen.add(path)) {
                    throw new TransferRefusedException("refused manifest: '" + path + "' appears twice");
                }
                if (kind == KIND_FILE) {
                    files.add(path);
                }
                entries.add(new ManifestEntry(path, kind == KIND_DIRECTORY, size, modified));
            }
            if (b.hasRemaining()) {
                throw new TransferRefusedException("refused manifest: " + b.remaining() + " trailing bytes");
            }
            for (ManifestEntry e : entries) {
                for (int slash = e.path().indexOf('/'); slash >= 0; slash = e.path().indexOf('/', slash + 1)) {
                    if (files.contains(e.path().substring(0, slash))) {
                        throw new TransferRefusedException("refused manifest: '" + e.path().substring(0, slash) + "' is both a file and a directory");
                    }
                }
            }
            return new Manifest(entries);
        } catch (java.nio.BufferUnderflowException e) {
            throw new TransferRefusedException("refused a truncated manifest");
        }
    }
}
