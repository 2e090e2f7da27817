package io.skyhaul.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.TreeMap;

/** Files for transfer tests: seeded random contents, digests, and whole-tree comparison. */
public final class TestFiles {
    private static final int CHUNK = 1 << 20;

    private TestFiles() {
    }

    /** Writes {@code size} bytes drawn from a generator seeded with {@code seed}; returns the file. */
    public static Path randomFile(Path file, long size, long seed) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        SplittableRandom random = new SplittableRandom(seed);
        byte[] chunk = new byte[(int) Math.min(CHUNK, Math.max(1, size))];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long done = 0; done < size; ) {
                int n = (int) Math.min(chunk.length, size - done);
                random.nextBytes(chunk);
                out.write(chunk, 0, n);
                done += n;
            }
        }
        return file;
    }

    public static String sha256(Path file) throws IOException {
        MessageDigest sha = newSha256();
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (ch.read(buffer.clear()) >= 0) {
                sha.update(buffer.flip());
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /**
     * What a tree holds, by relative path ('/' separated): "dir" for a directory, "link" for a
     * symbolic link, else the file's SHA-256. The root itself is not listed.
     */
    public static TreeMap<String, String> snapshot(Path root) throws IOException {
        TreeMap<String, String> out = new TreeMap<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (!dir.equals(root)) {
                    out.put(relative(root, dir), "dir");
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                try {
                    out.put(relative(root, file), attrs.isSymbolicLink() ? "link" : sha256(file));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return out;
    }

    /** Asserts that {@code actual} holds exactly what {@code expected} holds: names, kinds and contents. */
    public static void assertSameTree(Path expected, Path actual) throws IOException {
        assertEquals(snapshot(expected), snapshot(actual), "tree " + actual + " differs from " + expected);
    }

    public static boolean isEmptyDirectory(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    public static boolean exists(Path p) {
        return Files.exists(p, LinkOption.NOFOLLOW_LINKS);
    }

    private static String relative(Path root, Path p) {
        return root.relativize(p).toString().replace(java.io.File.separatorChar, '/');
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
