package io.skyhaul.gateway.hotfolder;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Rule: "a scan lists the hot folder's accepted regular files as they are now, never follows a
 * link, and never visits more than a bounded number of entries". The root itself may be a link to
 * a directory (a mount linked into place); nothing below it is followed, and links below it are
 * reported as skipped. Directories the patterns exclude are not entered. A file or directory that
 * vanishes or cannot be read during the walk is noted as skipped, since a hot folder is written to
 * while it is scanned; the root missing, not a directory, or unreadable is an error. Each entry
 * visited (file, directory, link or failure) counts toward the limit; a scan that reaches it stops
 * and returns a truncated snapshot. With a {@link ReadyMarker}, the marker of an accepted file is
 * listed too, whatever the patterns say of the marker's own name. Thread-safe; each scan is
 * independent.
 */
public final class FolderScanner {
    /** Runs before each entry below the root is recorded; lets tests change the tree mid-walk. */
    @FunctionalInterface
    interface EntryHook {
        void visiting(Path entry) throws IOException;
    }

    private final FilePatterns patterns;
    private final int maxEntries;
    private final Optional<ReadyMarker> marker;
    private final EntryHook hook;

    /** With the entry limit of {@link HotFolderLimits#DEFAULTS} and no marker. */
    public FolderScanner(FilePatterns patterns) {
        this(patterns, HotFolderLimits.DEFAULTS.maxEntriesPerScan());
    }

    public FolderScanner(FilePatterns patterns, int maxEntries) {
        this(patterns, maxEntries, Optional.empty(), entry -> {
        });
    }

    public FolderScanner(FilePatterns patterns, int maxEntries, ReadyMarker marker) {
        this(patterns, maxEntries, Optional.of(marker), entry -> {
        });
    }

    FolderScanner(FilePatterns patterns, int maxEntries, Optional<ReadyMarker> marker, EntryHook hook) {
        HotFolderLimits.requirePositive("maxEntries", maxEntries);
        this.patterns = Objects.requireNonNull(patterns, "patterns");
        this.maxEntries = maxEntries;
        this.marker = Objects.requireNonNull(marker, "marker");
        this.hook = Objects.requireNonNull(hook, "hook");
    }

    /**
     * @throws NoSuchFileException if the root does not exist
     * @throws FileSystemException if the root is not a directory or cannot be read
     */
    public FolderSnapshot scan(Path root) throws IOException {
        if (!Files.exists(root)) {
            throw new NoSuchFileException(root.toString(), null, "the hot folder does not exist");
        }
        if (!Files.isDirectory(root)) {
            throw new FileSystemException(root.toString(), null, "the hot folder is not a directory");
        }
        Walk walk = new Walk(root.toRealPath(), root);
        Files.walkFileTree(walk.start, walk);
        return new FolderSnapshot(root, walk.files, walk.skipped, walk.truncated);
    }

    private boolean wanted(String relativePath) {
        return patterns.accepts(relativePath)
                || marker.flatMap(m -> m.payloadOf(relativePath)).map(patterns::accepts).orElse(false);
    }

    private final class Walk extends SimpleFileVisitor<Path> {
        final Path start;
        final Path configuredRoot;
        final TreeMap<String, ScannedFile> files = new TreeMap<>();
        final List<SkippedEntry> skipped = new ArrayList<>();
        int entries;
        boolean truncated;

        Walk(Path start, Path configuredRoot) {
            this.start = start;
            this.configuredRoot = configuredRoot;
        }

        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
            if (dir.equals(start)) {
                return FileVisitResult.CONTINUE;
            }
            if (limitReached()) {
                return FileVisitResult.TERMINATE;
            }
            if (patterns.excludesDirectory(relative(dir))) {
                return FileVisitResult.SKIP_SUBTREE;
            }
            hook.visiting(dir);
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            if (file.equals(start)) {
                throw rootFailure("the hot folder is no longer a directory", null);
            }
            if (limitReached()) {
                return FileVisitResult.TERMINATE;
            }
            String relative = relative(file);
            hook.visiting(file);
            if (attrs.isRegularFile()) {
                if (wanted(relative)) {
                    files.put(relative, new ScannedFile(relative, attrs.size(), attrs.lastModifiedTime().toInstant(),
                            Optional.ofNullable(attrs.fileKey()).map(Object::toString)));
                }
            } else if (patterns.excludesDirectory(relative)) {
                // A link or device under an excluded name is as uninteresting as a file there.
                return FileVisitResult.CONTINUE;
            } else if (attrs.isSymbolicLink()) {
                skipped.add(new SkippedEntry(relative, "symbolic link (not followed)"));
            } else {
                skipped.add(new SkippedEntry(relative, "not a regular file (device, pipe or socket)"));
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
            if (file.equals(start)) {
                throw rootFailure("the hot folder cannot be read", exc);
            }
            if (limitReached()) {
                return FileVisitResult.TERMINATE;
            }
            String relative = relative(file);
            if (!patterns.excludesDirectory(relative)) {
                skipped.add(new SkippedEntry(relative, describe(exc)));
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
            if (exc == null) {
                return FileVisitResult.CONTINUE;
            }
            if (dir.equals(start)) {
                throw rootFailure("the hot folder could not be listed", exc);
            }
            skipped.add(new SkippedEntry(relative(dir), "directory not listed completely: " + describe(exc)));
            return FileVisitResult.CONTINUE;
        }

        private boolean limitReached() {
            if (++entries > maxEntries) {
                truncated = true;
            }
            return truncated;
        }

        private String relative(Path entry) {
            StringBuilder path = new StringBuilder();
            for (Path name : start.relativize(entry)) {
                if (path.length() > 0) {
                    path.append('/');
                }
                path.append(name);
            }
            return path.toString();
        }

        private FileSystemException rootFailure(String reason, IOException cause) {
            FileSystemException failure = new FileSystemException(configuredRoot.toString(), null,
                    cause == null ? reason : reason + ": " + explain(cause));
            failure.initCause(cause);
            return failure;
        }
    }

    private static String describe(IOException exc) {
        return exc instanceof NoSuchFileException ? "vanished during the scan" : "cannot be read: " + explain(exc);
    }

    private static String explain(IOException exc) {
        if (exc instanceof NoSuchFileException) {
            return "it vanished";
        }
        return exc instanceof AccessDeniedException ? "permission denied" : exc.toString();
    }
}
