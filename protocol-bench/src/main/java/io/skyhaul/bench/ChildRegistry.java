package io.skyhaul.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Every process and network namespace pair the bench starts, so that nothing outlives it: the
 * live children are stopped by {@link #stopAll()} (from a {@code finally} and from a shutdown
 * hook), and each is also appended to an optional ledger file that {@code bench.sh} reads in its
 * exit trap, which covers a {@code kill -9} of the orchestrator itself. A ledger line is
 * {@code pid PID STARTTIME NAME} (the start time from {@code /proc/PID/stat} guards against a
 * recycled PID), {@code netns A B} or {@code workdir PATH}.
 */
final class ChildRegistry {
    private final Path ledger;
    private final Set<ChildProcess> live = new LinkedHashSet<>();

    ChildRegistry(Path ledger) {
        this.ledger = ledger;
    }

    synchronized void started(ChildProcess child) {
        live.add(child);
        append("pid " + child.pid() + " " + ProcStat.startTime(child.pid()) + " " + child.name());
    }

    synchronized void ended(ChildProcess child) {
        live.remove(child);
    }

    /** Records the run's temporary directory, which the exit trap removes if the bench could not. */
    synchronized void workDirectory(java.nio.file.Path dir) {
        append("workdir " + dir.toAbsolutePath());
    }

    /** Records a namespace pair a {@code linkem tun} process is about to create. */
    synchronized void namespaces(String a, String b) {
        append("netns " + a + " " + b);
    }

    /** Stops every child still running, newest first. */
    void stopAll() {
        List<ChildProcess> children;
        synchronized (this) {
            children = new ArrayList<>(live);
        }
        for (int i = children.size() - 1; i >= 0; i--) {
            children.get(i).close();
        }
    }

    private void append(String line) {
        if (ledger == null) {
            return;
        }
        try {
            Files.writeString(ledger, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new BenchException("cannot write the process ledger " + ledger + ": " + e.getMessage(), e);
        }
    }
}
