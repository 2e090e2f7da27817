package io.skyhaul.gateway.hotfolder;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rule: "a change in the hot folder wakes the service early; it never replaces the periodic
 * rescan". Watches the root and its subdirectories (those created later too, without following
 * links, and not those the patterns exclude) with the platform's WatchService, and calls the
 * listener with a {@link FolderChange} once per burst: after the first event it gathers events for
 * the coalescing window, so a copy in progress wakes the service at most once per window. Events
 * on paths the patterns exclude as a directory (hidden, partial, internal names) are ignored.
 * OVERFLOW, or more changed paths than one signal lists, means "rescan everything". The paths are
 * hints too: after a directory is renamed, events from inside it may still carry its old name.
 *
 * <p>A watch is a hint, not a record: network filesystems (SMB, NFS) report only changes made
 * through this machine, a directory created and filled before it is registered has events that
 * were never delivered, and the kernel's watch limit ({@code fs.inotify.max_user_watches}) can be
 * reached, in which case the directory is logged and left unwatched. The service must keep its
 * periodic rescan whatever the watcher says.
 *
 * <p>One daemon thread, named {@code hotfolder-watch[ROOT]}, blocks on the WatchService (no
 * polling loop) and calls the listener; a listener's RuntimeException is logged and watching goes
 * on. {@link #close} stops the thread.
 */
public final class FolderWatcher implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(FolderWatcher.class);
    /** How long close waits for the thread to leave the listener it may be running. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final Path root;
    private final FilePatterns patterns;
    private final Duration coalesce;
    private final int maxPaths;
    private final Consumer<FolderChange> listener;
    private final WatchService watchService;
    private final Map<WatchKey, Path> directories = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean closed;

    private FolderWatcher(Path root, FilePatterns patterns, Duration coalesce, int maxPaths, Consumer<FolderChange> listener)
            throws IOException {
        HotFolderLimits.requireNonNegative("watchCoalesce", coalesce);
        HotFolderLimits.requirePositive("maxPathsPerSignal", maxPaths);
        this.root = root;
        this.patterns = Objects.requireNonNull(patterns, "patterns");
        this.coalesce = coalesce;
        this.maxPaths = maxPaths;
        this.listener = Objects.requireNonNull(listener, "listener");
        this.watchService = root.getFileSystem().newWatchService();
        this.thread = new Thread(this::run, "hotfolder-watch[" + root + "]");
        this.thread.setDaemon(true);
        this.thread.setUncaughtExceptionHandler((t, e) -> LOG.error("hot folder watch on {} stopped by an unexpected error; only the periodic rescan"
                + " is left", root, e));
    }

    /** With the coalescing window and path limit of {@link HotFolderLimits#DEFAULTS}. */
    public static FolderWatcher start(Path root, FilePatterns patterns, Consumer<FolderChange> listener) throws IOException {
        HotFolderLimits defaults = HotFolderLimits.DEFAULTS;
        return start(root, patterns, defaults.watchCoalesce(), defaults.maxPathsPerSignal(), listener);
    }

    /**
     * Registers the tree and starts the thread.
     *
     * @throws IOException if the root cannot be watched (missing, not a directory, watch limit)
     */
    public static FolderWatcher start(Path root, FilePatterns patterns, Duration coalesce, int maxPathsPerSignal,
            Consumer<FolderChange> listener) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new NotDirectoryException(root + " (the hot folder to watch is missing or not a directory)");
        }
        FolderWatcher watcher = new FolderWatcher(root.toRealPath(), patterns, coalesce, maxPathsPerSignal, listener);
        try {
            watcher.directories.put(watcher.root.register(watcher.watchService, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY), watcher.root);
            watcher.registerSubdirectories(watcher.root);
        } catch (IOException | RuntimeException e) {
            watcher.watchService.close();
            throw e;
        }
        watcher.thread.start();
        return watcher;
    }

    /** Whether the thread is still watching (false after close, or if it died). */
    public boolean isRunning() {
        return thread.isAlive();
    }

    /** Number of directories watched now. */
    public int watchedDirectories() {
        return directories.size();
    }

    /** Stops watching; waits (bounded) for the thread to finish a listener call in progress. Idempotent. */
    @Override
    public void close() throws IOException {
        closed = true;
        watchService.close();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(CLOSE_WAIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        try {
            while (!closed) {
                WatchKey first = watchService.take();
                Burst burst = new Burst();
                collect(first, burst);
                long deadline = System.nanoTime() + coalesce.toNanos();
                for (long left = coalesce.toNanos(); left > 0; left = deadline - System.nanoTime()) {
                    WatchKey next = watchService.poll(left, TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    collect(next, burst);
                }
                signal(burst);
            }
        } catch (ClosedWatchServiceException e) {
            LOG.debug("hot folder watch on {} closed", root);
        } catch (InterruptedException e) {
            LOG.info("hot folder watch on {} interrupted, stopping", root);
        }
    }

    /** The events of one coalescing window. */
    private final class Burst {
        final Set<String> paths = new LinkedHashSet<>();
        boolean overflow;

        void add(String relative) {
            if (overflow) {
                return;
            }
            paths.add(relative);
            if (paths.size() > maxPaths) {
                overflow = true;
                paths.clear();
            }
        }
    }

    private void collect(WatchKey key, Burst burst) {
        Path dir = directories.get(key);
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.kind() == OVERFLOW || dir == null) {
                burst.overflow = true;
                burst.paths.clear();
                continue;
            }
            Path child = dir.resolve((Path) event.context());
            String relative = relative(child);
            if (patterns.excludesDirectory(relative)) {
                continue;
            }
            burst.add(relative);
            if (event.kind() == ENTRY_CREATE && Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                // Whatever was created inside before the registration produced no event: name it.
                register(child, burst);
            }
        }
        if (!key.reset()) {
            directories.remove(key);
            if (root.equals(dir)) {
                // The root itself went away: let the service's scan find out and say so.
                burst.overflow = true;
                burst.paths.clear();
            }
        }
    }

    private void signal(Burst burst) {
        if (burst.paths.isEmpty() && !burst.overflow) {
            return;
        }
        try {
            listener.accept(new FolderChange(burst.paths, burst.overflow));
        } catch (RuntimeException e) {
            LOG.error("hot folder watch on {}: the change listener failed; watching goes on", root, e);
        }
    }

    private void register(Path dir, Burst burst) {
        try {
            directories.put(dir.register(watchService, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY), dir);
            registerSubdirectories(dir);
            try (var entries = Files.list(dir)) {
                entries.map(this::relative).filter(path -> !patterns.excludesDirectory(path)).forEach(burst::add);
            }
        } catch (IOException e) {
            LOG.warn("hot folder watch on {}: cannot watch new directory {} ({}); the periodic rescan covers it", root, relative(dir),
                    e.toString());
            burst.add(relative(dir));
        }
    }

    private void registerSubdirectories(Path top) throws IOException {
        Files.walkFileTree(top, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (dir.equals(top)) {
                    return FileVisitResult.CONTINUE;
                }
                if (patterns.excludesDirectory(relative(dir))) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                try {
                    directories.put(dir.register(watchService, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY), dir);
                } catch (IOException e) {
                    LOG.warn("hot folder watch on {}: cannot watch {} ({}); the periodic rescan covers it", root, relative(dir), e.toString());
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) {
                // Vanished or unreadable while registering: the periodic rescan will judge it.
                LOG.debug("hot folder watch on {}: skipped {} ({})", root, relative(file), exc.toString());
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private String relative(Path entry) {
        StringBuilder path = new StringBuilder();
        for (Path name : root.relativize(entry)) {
            if (path.length() > 0) {
                path.append('/');
            }
            path.append(name);
        }
        return path.toString();
    }
}
