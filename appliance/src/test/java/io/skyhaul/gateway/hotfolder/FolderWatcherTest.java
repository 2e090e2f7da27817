package io.skyhaul.gateway.hotfolder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skyhaul.testing.LogCapture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Rule: a change in the hot folder wakes the service early; the watcher is a closeable daemon. */
@Timeout(60)
class FolderWatcherTest {
    private static final Duration COALESCE = Duration.ofMillis(50);
    /** Generous: inotify answers in milliseconds, but CI machines are shared. */
    private static final long WAIT_SECONDS = 10;
    private static final FilePatterns PATTERNS = FilePatterns.everything(Set.of(".skyhaul-done"));

    @TempDir
    Path root;
    private final BlockingQueue<FolderChange> changes = new LinkedBlockingQueue<>();
    private final List<FolderChange> seen = new ArrayList<>();

    @Test
    void changesInANewSubdirectoryTriggerTheListener() throws Exception {
        try (FolderWatcher watcher = FolderWatcher.start(root, PATTERNS, COALESCE, 100, changes::add)) {
            Files.createDirectories(root.resolve("day1"));
            awaitChange(change -> change.paths().contains("day1"));
            assertEquals(2, watcher.watchedDirectories(), "the new directory is watched");

            Files.write(root.resolve("day1/clip.mov"), new byte[10]);
            awaitChange(change -> change.paths().contains("day1/clip.mov"));

            drain();
            Files.write(root.resolve("day1/clip.mov"), new byte[10], StandardOpenOption.APPEND);
            awaitChange(change -> change.paths().contains("day1/clip.mov"));
        }
    }

    @Test
    void aTreeCreatedAtOnceIsWatchedAndItsContentsNamed() throws Exception {
        try (FolderWatcher watcher = FolderWatcher.start(root, PATTERNS, COALESCE, 100, changes::add)) {
            Path deep = Files.createDirectories(root.resolve("card/CLIP/0001"));
            Files.write(root.resolve("card/CLIP/first.mxf"), new byte[1]);
            awaitChange(change -> change.paths().contains("card"));
            Files.write(deep.resolve("later.mxf"), new byte[1]);
            awaitChange(change -> change.paths().contains("card/CLIP/0001/later.mxf"));
            assertEquals(4, watcher.watchedDirectories());
        }
    }

    @Test
    void existingSubdirectoriesAreWatchedButHiddenAndInternalOnesAreNot() throws Exception {
        Files.createDirectories(root.resolve("a/b"));
        Files.createDirectories(root.resolve(".skyhaul-done/a"));
        Files.createDirectories(root.resolve(".cache"));
        try (FolderWatcher watcher = FolderWatcher.start(root, PATTERNS, COALESCE, 100, changes::add)) {
            assertEquals(3, watcher.watchedDirectories(), "root, a, a/b");
            Files.write(root.resolve(".skyhaul-done/a/sent.mov"), new byte[1]);
            Files.write(root.resolve("a/b/.clip.mov.part"), new byte[1]);
            Files.write(root.resolve("a/b/clip.mov"), new byte[1]);
            awaitChange(change -> change.paths().contains("a/b/clip.mov"));
            assertTrue(seen.stream().flatMap(change -> change.paths().stream()).noneMatch(path -> path.contains(".")
                    && !path.endsWith("clip.mov")), seen::toString);
        }
    }

    @Test
    void moreChangesThanOneSignalListsMeanRescanEverything() throws Exception {
        try (FolderWatcher watcher = FolderWatcher.start(root, PATTERNS, Duration.ofMillis(500), 5, changes::add)) {
            for (int i = 0; i < 20; i++) {
                Files.write(root.resolve("clip-" + i + ".mov"), new byte[1]);
            }
            FolderChange change = awaitChange(FolderChange::rescanEverything);
            assertEquals(Set.of(), change.paths());
        }
    }

    @Test
    void aFailingListenerIsLoggedAndTheWatchGoesOn() throws Exception {
        try (LogCapture log = new LogCapture();
                FolderWatcher watcher = FolderWatcher.start(root, PATTERNS, COALESCE, 100, change -> {
                    changes.add(change);
                    throw new IllegalStateException("listener bug (expected by the test)");
                })) {
            Files.write(root.resolve("one.mov"), new byte[1]);
            awaitChange(change -> change.paths().contains("one.mov"));
            Files.write(root.resolve("two.mov"), new byte[1]);
            awaitChange(change -> change.paths().contains("two.mov"));
            assertTrue(watcher.isRunning());
            watcher.close();
            List<String> errors = log.problems();
            assertFalse(errors.isEmpty());
            assertTrue(errors.stream().allMatch(line -> line.contains("the change listener failed; watching goes on")
                    && line.contains("listener bug (expected by the test)")), errors::toString);
        }
    }

    @Test
    void closeStopsTheNamedDaemonThread() throws Exception {
        FolderWatcher watcher = FolderWatcher.start(root, PATTERNS, COALESCE, 100, changes::add);
        String name = "hotfolder-watch[" + root.toRealPath() + "]";
        Thread thread = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst().orElse(null);
        assertNotNull(thread, "a thread named after the folder");
        assertTrue(thread.isDaemon());
        assertTrue(watcher.isRunning());

        watcher.close();

        assertFalse(watcher.isRunning());
        assertFalse(thread.isAlive());
        watcher.close();
    }

    @Test
    void aMissingRootCannotBeWatched() {
        IOException e = assertThrows(IOException.class, () -> FolderWatcher.start(root.resolve("absent"), PATTERNS, changes::add));
        assertTrue(e.getMessage().contains("absent"), e.getMessage());
    }

    private FolderChange awaitChange(Predicate<FolderChange> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (true) {
            long left = deadline - System.nanoTime();
            FolderChange change = left > 0 ? changes.poll(left, TimeUnit.NANOSECONDS) : null;
            if (change == null) {
                throw new AssertionError("no change as expected within " + WAIT_SECONDS + " s; seen " + seen);
            }
            seen.add(change);
            if (wanted.test(change)) {
                return change;
            }
        }
    }

    private void drain() {
        changes.drainTo(seen);
    }
}
