package io.skyhaul.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A directory tree to upload: a few dozen files of mixed sizes (a few MB in all) in nested
 * directories, with an empty file and an empty directory, made from a seed.
 *
 * @param root      the tree's top directory (sent by name)
 * @param files     regular files in it
 * @param fileBytes their total size
 */
record SourceTree(Path root, int files, long fileBytes) {
    private static final int FILES = 36;
    private static final int MAX_SMALL_FILE = 200_000;
    private static final int LARGE_FILE = 1_500_000;

    static SourceTree create(Path root, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        Files.createDirectories(root.resolve("empty-dir"));
        Files.createFile(root.resolve("empty.txt"));
        long bytes = 0;
        int files = 1;
        for (int i = 0; i < FILES - 1; i++) {
            Path dir = root.resolve("d" + i % 4).resolve("sub" + i % 3);
            Files.createDirectories(dir);
            byte[] data = new byte[i == 0 ? LARGE_FILE : random.nextInt(MAX_SMALL_FILE)];
            random.nextBytes(data);
            Files.write(dir.resolve("file-" + i + ".bin"), data);
            bytes += data.length;
            files++;
        }
        return new SourceTree(root, files, bytes);
    }

    /** Asserts that {@code copy} holds the same directories and files, byte for byte, and nothing else. */
    void assertCopiedTo(Path copy) throws IOException {
        TreeMap<String, Boolean> expected = listing(root);
        TreeMap<String, Boolean> actual = listing(copy);
        assertEquals(expected, actual, "the received tree's entries (path -> is directory)");
        for (var e : expected.entrySet()) {
            if (!e.getValue()) {
                assertEquals(-1L, Files.mismatch(root.resolve(e.getKey()), copy.resolve(e.getKey())), e.getKey() + " differs");
            }
        }
        assertTrue(Files.isDirectory(copy.resolve("empty-dir")), "the empty directory arrived");
        assertEquals(0, Files.size(copy.resolve("empty.txt")), "the empty file arrived empty");
    }

    private static TreeMap<String, Boolean> listing(Path top) throws IOException {
        TreeMap<String, Boolean> entries = new TreeMap<>();
        List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.walk(top)) {
            s.forEach(all::add);
        }
        for (Path p : all) {
            if (!p.equals(top)) {
                entries.put(top.relativize(p).toString(), Files.isDirectory(p));
            }
        }
        return entries;
    }
}
