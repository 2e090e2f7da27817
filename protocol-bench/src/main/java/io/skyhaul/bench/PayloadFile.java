package io.skyhaul.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * A file of pseudo-random (incompressible) bytes to transfer, with its SHA-256 computed while it
 * is written, so a received copy can be checked without reading the source again.
 */
public record PayloadFile(Path path, long size, String sha256) {
    private static final int CHUNK = 1 << 20;

    /** Writes {@code size} bytes derived from {@code seed} to {@code path} (which must not exist). */
    public static PayloadFile create(Path path, long size, long seed) throws IOException {
        MessageDigest sha = sha256Digest();
        SplittableRandom random = new SplittableRandom(seed);
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
        try (FileChannel out = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long left = size;
            while (left > 0) {
                int n = (int) Math.min(CHUNK, left);
                chunk.clear();
                while (chunk.position() + Long.BYTES <= n) {
                    chunk.putLong(random.nextLong());
                }
                while (chunk.position() < n) {
                    chunk.put((byte) random.nextInt());
                }
                chunk.flip();
                sha.update(chunk.array(), 0, n);
                while (chunk.hasRemaining()) {
                    out.write(chunk);
                }
                left -= n;
            }
        }
        return new PayloadFile(path, size, HexFormat.of().formatHex(sha.digest()));
    }

    /** SHA-256 of a file, as lower-case hex. */
    public static String sha256Of(Path file) throws IOException {
        MessageDigest sha = sha256Digest();
        byte[] buffer = new byte[CHUNK];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    public String fileName() {
        return path.getFileName().toString();
    }
}
