package io.skyhaul.gateway.hotfolder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rule: a scan lists the accepted regular files as they are now, follows no link, and is bounded. */
class FolderScannerTest {
    private static final Set<String> INTERNAL = Set.of(".skyhaul-done", "_error");

    @TempDir
    Path tmp;

    @Test
    void listsAcceptedFilesOfANestedTreeWithSizeMtimeAndFileKey() throws IOException {
        Path root = Files.createDirectory(tmp.resolve("hot"));
        write(root, "top.mov", 3);
        write(root, "a/one.mov", 10);
        write(root, "a/b/c/deep.mov", 0);
        write(root, "a/b/notes.txt", 5);
        write(root, "a/b/c/deep.mov.part", 7);
        write(root, ".hidden/secret.mov", 1);
        write(root, ".skyhaul-done/a/sent.mov", 1);
        write(root, "_error/bad.mov", 1);
        Instant mtime = Instant.parse("2024-05-01T10:15:30.123456789Z");
        Files.setLastModifiedTime(root.resolve("a/one.mov"), FileTime.from(mtime));

        FolderSnapshot snapshot = new FolderScanner(new FilePatterns(List.of("*.mov"), List.of(), INTERNAL), 1000).scan(root);

        assertEquals(List.of("a/b/c/deep.mov", "a/one.mov", "top.mov"), List.copyOf(snapshot.files().keySet()));
        ScannedFile one = snapshot.file("a/one.mov").orElseThrow();
        assertEquals(10, one.size());
        assertEquals(mtime, one.lastModified());
        assertEquals(Optional.of(Files.readAttributes(root.resolve("a/one.mov"), "basic:fileKey").get("fileKey").toString()), one.fileKey());
        assertEquals(0, snapshot.file("a/b/c/deep.mov").orElseThrow().size());
        assertEquals(List.of(), snapshot.skipped());
        assertFalse(snapshot.truncated());
        assertEquals(root, snapshot.root());
    }

    @Test
    void excludedDirectoriesAreNotEntered() throws IOException {
        Path root = Files.createDirectory(tmp.resolve("hot"));
        write(root, "keep/a.mov", 1);
        write(root, ".skyhaul-done/x/y.mov", 1);
        write(root, "proxies/p.mov", 1);
        List<Path> visited = new ArrayList<>();
        FolderScanner scanner = new FolderScanner(new FilePatterns(List.of(), List.of("proxies"), INTERNAL), 1000, Optional.empty(),
                visited::add);

        FolderSnapshot snapshot = scanner.scan(root);

        assertEquals(Set.of("keep/a.mov"), snapshot.files().keySet());
        assertEquals(List.of(root.resolve("keep"), root.resolve("keep/a.mov")), visited.stream().sorted().toList());
    }

    @Test
    void aSymbolicLinkIsReportedAsSkippedAndNotFollowed() throws IOException {
        Path root = Files.createDirectory(tmp.resolve("hot"));
        Path outside = Files.createDirectory(tmp.resolve("outside"));
        write(outside, "elsewhere.mov", 4);
        write(root, "real.mov", 2);
        Files.createSymbolicLink(root.resolve("link.mov"), outside.resolve("elsewhere.mov"));
        Files.createSymbolicLink(root.resolve("linked-dir"), outside);
        Files.createSymbolicLink(root.resolve(".hidden-link"), outside);

        FolderSnapshot snapshot = new FolderScanner(FilePatterns.everything(INTERNAL), 1000).scan(root);

        assertEquals(Set.of("real.mov"), snapshot.files().keySet());
        assertEquals(List.of(new SkippedEntry("link.mov", "symbolic link (not followed)"),
                new SkippedEntry("linked-dir", "symbolic link (not followed)")),
                snapshot.skipped().stream().sorted(Comparator.comparing(SkippedEntry::relativePath)).toList());
    }

    @Test
    void theRootMayItselfBeALinkToADirectory() throws IOException {
        Path real = Files.createDirectory(tmp.resolve("mount"));
        write(real, "sub/clip.mov", 1);
        Path root = Files.createSymbolicLink(tmp.resolve("hot"), real);

        FolderSnapshot snapshot = new FolderScanner(FilePatterns.everything(INTERNAL), 1000).scan(root);

        assertEquals(Set.of("sub/clip.mov"), snapshot.files().keySet());
        assertEquals(root, snapshot.root());
    }

    @Test
    void filesAndDirectoriesVanishingDuringTheWalkAreSkippedNotErrors() throws IOException {
        Path root = Files.createDirectory(tmp.resolve("hot"));
        Path shots = Files.createDirectory(root.resolve("shots"));
        for (int i = 0; i < 5; i++) {
            write(shots, "clip-" + i + ".mov", 100 + i);
            write(shots, "dir-" + i + "/inner.mov", 1);
        }
        List<Path> survivor = new ArrayList<>();
        // The directory has been listed (readdir buffers a small one whole) when its first entry is
        // visited: deleting every sibling then makes the walk meet names whose files are gone.
        FolderScanner.EntryHook deleteSiblings = entry -> {
            if (entry.getParent().equals(shots) && survivor.isEmpty()) {
                survivor.add(entry);
                try (Stream<Path> siblings = Files.list(shots)) {
                    for (Path sibling : siblings.filter(p -> !p.equals(entry)).toList()) {
                        deleteTree(sibling);
                    }
                }
            }
        };
        FolderScanner scanner = new FolderScanner(FilePatterns.everything(INTERNAL), 1000, Optional.empty(), deleteSiblings);

        FolderSnapshot snapshot = scanner.scan(root);

        assertEquals(1, survivor.size());
        assertEquals(9, snapshot.skipped().size(), snapshot.skipped()::toString);
        assertTrue(snapshot.skipped().stream().allMatch(s -> s.reason().equals("vanished during the scan") && s.relativePath().startsWith("shots/")),
                snapshot.skipped()::toString);
        assertTrue(snapshot.files().keySet().stream().allMatch(path -> path.startsWith(root.relativize(survivor.get(0)).toString())),
                snapshot.files()::toString);
        assertFalse(snapshot.truncated());
    }

    @Test
    void anUnreadableDirectoryIsSkippedWithTheReason() throws IOException {
        assumeFalse("root".equals(System.getProperty("user.name")), "root reads directories whatever their mode");
        Path root = Files.createDirectory(tmp.resolve("hot"));
        write(root, "ok.mov", 1);
        Path locked = Files.createDirectory(root.resolve("locked"));
        write(locked, "inside.mov", 1);
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        try {
            FolderSnapshot snapshot = new FolderScanner(FilePatterns.everything(INTERNAL), 1000).scan(root);
            assertEquals(Set.of("ok.mov"), snapshot.files().keySet());
            assertEquals(List.of(new SkippedEntry("locked", "cannot be read: permission denied")), snapshot.skipped());
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void aMissingRootOrAFileAsRootIsAnErrorThatSaysSo() throws IOException {
        FolderScanner scanner = new FolderScanner(FilePatterns.everything(INTERNAL), 1000);
        Path root = Files.createDirectory(tmp.resolve("hot"));
        write(root, "clip.mov", 1);
        assertEquals(1, scanner.scan(root).files().size());

        deleteTree(root);
        NoSuchFileException missing = assertThrows(NoSuchFileException.class, () -> scanner.scan(root));
        assertEquals(root + ": the hot folder does not exist", missing.getMessage());

        Files.writeString(root, "now a file");
        FileSystemException notDirectory = assertThrows(FileSystemException.class, () -> scanner.scan(root));
        assertEquals(root + ": the hot folder is not a directory", notDirectory.getMessage());
    }

    @Test
    void aScanStopsAtTheEntryLimitAndSaysItIsTruncated() throws IOException {
        Path root = Files.createDirectory(tmp.resolve("hot"));
        for (int i = 0; i < 30; i++) {
            write(root, "d" + (i % 3) + "/clip-" + i + ".mov", 1);
        }
        FilePatterns patterns = FilePatterns.everything(INTERNAL);

        FolderSnapshot cut = new FolderScanner(patterns, 10).scan(root);
        assertTrue(cut.truncated());
        assertTrue(cut.files().size() < 10, () -> cut.files().size() + " files: directories count as entries too");
        assertFalse(cut.files().isEmpty());

        FolderSnapshot exact = new FolderScanner(patterns, 33).scan(root);
        assertFalse(exact.truncated(), "30 files and 3 directories fit in 33 entries");
        assertEquals(30, exact.files().size());

        assertThrows(IllegalArgumentException.class, () -> new FolderScanner(patterns, 0));
    }

    @Test
    void theMarkerOfAnAcceptedFileIsListedWhateverItsOwnName() throws IOException {
        Path root = Files.createDirectory(tmp.resolve("hot"));
        write(root, "a/clip.mov", 1);
        write(root, "a/clip.mov.ready", 0);
        write(root, "notes.txt", 1);
        write(root, "notes.txt.ready", 0);
        write(root, "orphan.mov.ready", 0);
        FilePatterns movOnly = new FilePatterns(List.of("*.mov"), List.of(), INTERNAL);

        FolderSnapshot snapshot = new FolderScanner(movOnly, 1000, new ReadyMarker(".ready")).scan(root);

        assertEquals(Set.of("a/clip.mov", "a/clip.mov.ready", "orphan.mov.ready"), snapshot.files().keySet());
        assertEquals(Set.of("a/clip.mov"), new FolderScanner(movOnly, 1000).scan(root).files().keySet());
    }

    static Path write(Path root, String relative, int size) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.write(file, new byte[size]);
    }

    static void deleteTree(Path top) throws IOException {
        if (Files.isDirectory(top, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> children = Files.list(top)) {
                for (Path child : children.toList()) {
                    deleteTree(child);
                }
            }
        }
        Files.delete(top);
    }
}
