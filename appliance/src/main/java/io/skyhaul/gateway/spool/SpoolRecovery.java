package io.skyhaul.gateway.spool;

import io.skyhaul.storage.engine.LocalFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opening a spool after a clean stop or a crash: the log is replayed (a torn tail cut off, any
 * other damage refused), then the directories are brought in line with it. Bodies nobody was
 * told about are deleted; an acknowledged body that is missing or of the wrong size is
 * reported loudly and recorded as a failure, never dropped silently and never a reason not to
 * start.
 */
final class SpoolRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(SpoolRecovery.class);

    private final SpoolLayout layout;
    private final SpoolLimits limits;
    private final Clock clock;
    private final SpoolIndex index;

    private SpoolRecovery(SpoolLayout layout, SpoolLimits limits, Clock clock) {
        this.layout = layout;
        this.limits = limits;
        this.clock = clock;
        this.index = new SpoolIndex(limits.maxRecentFailures());
    }

    static Spool open(SpoolLayout layout, SpoolLimits limits, Clock clock) throws IOException {
        layout.createDirectories();
        SpoolDirectoryLock dirLock = SpoolDirectoryLock.acquire(layout.lockFile());
        try {
            return new SpoolRecovery(layout, limits, clock).recover(dirLock);
        } catch (IOException | RuntimeException | Error e) {
            try {
                dirLock.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private Spool recover(SpoolDirectoryLock dirLock) throws IOException {
        if (Files.deleteIfExists(layout.walNew())) {
            LOG.info("spool {}: deleted an unfinished compaction ({}); the log before it is complete", layout.dir(), layout.walNew());
        }
        ensureLogExists();
        WalFrames.Contents contents = WalFrames.read(layout.wal());
        replay(contents);
        if (contents.tornBytes() > 0) {
            LOG.warn("spool {}: cut off an incomplete last record of {} bytes at offset {} of {} (an append interrupted by a crash, never acknowledged)",
                    layout.dir(), contents.tornBytes(), contents.validLength(), layout.wal());
        }
        WriteAheadLog wal = WriteAheadLog.openForAppend(layout.wal(), contents.validLength(), contents.records().size());
        try {
            int partials = deleteAll(layout.incoming(), Set.of(), "unacknowledged partial body");
            List<RecoveryReport.Lost> lost = checkBodies(wal);
            moveKeptBodiesAside();
            int orphans = deleteAll(layout.data(), liveIds(), "data file no pending entry refers to (uploaded, given up or never acknowledged)")
                    + deleteAll(layout.failed(), keptIds(), "kept body of a failure no longer remembered");
            for (Path d : new Path[] {layout.incoming(), layout.data(), layout.failed()}) {
                LocalFiles.fsyncDirectory(d);
            }
            RecoveryReport report = new RecoveryReport(index.files(), lost, contents.tornBytes(), partials, orphans);
            LOG.info("spool {} opened: {} pending entries ({} bytes), {} recent failures, {} lost, {} partial bodies and {} orphan files deleted",
                    layout.dir(), index.files(), index.bytes(), index.failures().size(), lost.size(), partials, orphans);
            return new Spool(layout, limits, clock, wal, dirLock, index, report);
        } catch (IOException | RuntimeException | Error e) {
            try {
                wal.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void ensureLogExists() throws IOException {
        if (Files.exists(layout.wal())) {
            return;
        }
        // Without the log, every body would look like an orphan and be deleted: refuse instead.
        int bodies = count(layout.data());
        if (bodies > 0) {
            throw new IOException("spool " + layout.dir() + " has " + bodies + " bodies in " + layout.data() + " but no write-ahead log "
                    + layout.wal() + "; not starting, as they would be deleted (restore the log, or move the directory aside)");
        }
        WriteAheadLog.create(layout.wal());
        LOG.info("spool {}: created an empty write-ahead log", layout.dir());
    }

    private void replay(WalFrames.Contents contents) throws SpoolCorruptException {
        for (WalFrames.Framed f : contents.records()) {
            try {
                index.apply(f.record());
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new SpoolCorruptException(layout.wal(), f.offset(), "record does not fit the records before it: " + e.getMessage());
            }
        }
    }

    /** Acknowledged entries must have their whole body; the others become failures, loudly. */
    private List<RecoveryReport.Lost> checkBodies(WriteAheadLog wal) throws IOException {
        List<RecoveryReport.Lost> lost = new ArrayList<>();
        long lastSeq = 0;
        for (SpoolEntry e : List.copyOf(index.entries())) {
            Path file = layout.dataFile(e.id());
            String problem = !Files.isRegularFile(file) ? "its data file " + file + " is missing"
                    : Files.size(file) != e.size() ? "its data file " + file + " has " + Files.size(file) + " bytes, not " + e.size()
                    : null;
            if (problem == null) {
                continue;
            }
            LOG.error("spool {}: acknowledged entry LOST before its upload: {} (for {} {}, {} bytes, sha256 {}); recorded as failed",
                    e.id(), problem, e.location(), SpoolArguments.oneLine(e.path()), e.size(), e.sha256Hex());
            boolean keep = limits.keepFailedBodies() && Files.isRegularFile(file);
            WalRecord.Failed record = new WalRecord.Failed(SpoolFailure.of(e, clock.instant(), "lost before upload: " + problem, keep));
            lastSeq = wal.append(record);
            index.apply(record);
            lost.add(new RecoveryReport.Lost(e, problem));
        }
        if (lastSeq > 0) {
            wal.awaitDurable(lastSeq);
        }
        return lost;
    }

    /** A crash between giving up on an entry and moving its body aside leaves the body in data/. */
    private void moveKeptBodiesAside() throws IOException {
        for (SpoolFailure f : index.failures()) {
            if (f.bodyKept() && !Files.exists(layout.failedFile(f.id())) && Files.exists(layout.dataFile(f.id()))) {
                Files.move(layout.dataFile(f.id()), layout.failedFile(f.id()), StandardCopyOption.ATOMIC_MOVE);
                LOG.info("spool {}: kept body of a failure moved to {}", f.id(), layout.failedFile(f.id()));
            }
        }
    }

    private Set<String> liveIds() {
        Set<String> ids = new HashSet<>();
        index.entries().forEach(e -> ids.add(e.id()));
        return ids;
    }

    private Set<String> keptIds() {
        Set<String> ids = new HashSet<>();
        index.failures().stream().filter(SpoolFailure::bodyKept).forEach(f -> ids.add(f.id()));
        return ids;
    }

    /** Deletes the files of {@code dir} not named in {@code keep}; returns how many. */
    private int deleteAll(Path dir, Set<String> keep, String what) throws IOException {
        int deleted = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (keep.contains(name)) {
                    continue;
                }
                if (!Files.isRegularFile(f)) {
                    LOG.warn("spool {}: {} is not a file the spool made; left alone", layout.dir(), f);
                    continue;
                }
                long size = Files.size(f);
                Files.delete(f);
                deleted++;
                LOG.info("spool {}: deleted {} {} ({} bytes)", idOf(name), what, f, size);
            }
        }
        return deleted;
    }

    private static String idOf(String fileName) {
        String base = fileName.endsWith(SpoolLayout.PART_SUFFIX) ? fileName.substring(0, fileName.length() - SpoolLayout.PART_SUFFIX.length()) : fileName;
        return SpoolLayout.isId(base) ? base : "-";
    }

    private static int count(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return (int) s.count();
        }
    }
}
