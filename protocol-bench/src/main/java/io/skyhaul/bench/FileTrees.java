package io.skyhaul.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** File-tree clean-up for the bench's temporary directories. */
public final class FileTrees {
    private FileTrees() {
    }

    /** Deletes a directory tree (or file) if it exists; symbolic links are removed, not followed. */
    public static void deleteTree(Path root) {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            throw new BenchException("cannot delete " + root + ": " + e.getMessage(), e);
        }
    }
}
