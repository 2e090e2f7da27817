package io.skyhaul.gateway;

import io.skyhaul.config.HotFolderConfig;
import io.skyhaul.gateway.hotfolder.FailureReason;
import io.skyhaul.gateway.hotfolder.FileDisposal;
import io.skyhaul.gateway.hotfolder.FilePatterns;
import io.skyhaul.gateway.hotfolder.FolderScanner;
import io.skyhaul.gateway.hotfolder.FolderSnapshot;
import io.skyhaul.gateway.hotfolder.FolderWatcher;
import io.skyhaul.gateway.hotfolder.HotFolderLimits;
import io.skyhaul.gateway.hotfolder.ReadyFile;
import io.skyhaul.gateway.hotfolder.ReadyMarker;
import io.skyhaul.gateway.hotfolder.ScannedFile;
import io.skyhaul.gateway.hotfolder.SettleReport;
import io.skyhaul.gateway.hotfolder.SettleTracker;
import io.skyhaul.gateway.rules.Verdict;
import io.skyhaul.gateways.GatewayMessages;
import io.skyhaul.transport.files.TransferSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One hot folder at work, on its own thread: scan (at once on a watch event, every second while
 * something settles, at the latest every {@code rescanSeconds}), let the {@link SettleTracker}
 * say which files are complete, check them against the folder's rules, queue them, and send the
 * queue in batches; then keep, move or delete each file. Every step is recorded in
 * {@link HotFileStore} before it is acted on, so a restart resumes: batches left {@code sending}
 * are asked about by their client reference (a transfer already done is not sent again), files
 * left {@code disposing} are disposed of, and a file the gateway had not seen yet is found by the
 * first scan. A file is never sent twice, and never forgotten.
 */
final class HotFolderWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HotFolderWorker.class);
    /** A batch that failed is tried again after 5 s, doubling up to an hour; after this many attempts it goes to the error folder. */
    static final int MAX_ATTEMPTS = 8;
    static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    static final Duration LONGEST_RETRY = Duration.ofHours(1);
    /** How often a folder with files settling is looked at again. */
    static final Duration SETTLE_TICK = Duration.ofSeconds(1);

    private final HotFolderConfig config;
    private final HotFileStore files;
    private final GatewayState state;
    private final GatewayTransfers transfers;
    private final Pause pause;
    private final Refusals refusals;
    private final Clock clock;
    private final String source;
    private final Object wake = new Object();
    private Thread thread;
    private FolderWatcher watcher;
    private volatile boolean closed;
    private volatile boolean signalled;
    private volatile int settling;
    private volatile String problem;

    HotFolderWorker(HotFolderConfig config, HotFileStore files, GatewayState state, GatewayTransfers transfers, Pause pause, Refusals refusals,
            Clock clock) {
        this.config = config;
        this.files = files;
        this.state = state;
        this.transfers = transfers;
        this.pause = pause;
        this.refusals = refusals;
        this.clock = clock;
        this.source = "hot-folder " + config.name();
    }

    void start() {
        thread = new Thread(this::run, "skyhaul-hot-folder-" + config.name());
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        FolderParts parts;
        try {
            parts = FolderParts.of(config, clock);
        } catch (RuntimeException e) {
            problem = "cannot watch it: " + e.getMessage();
            LOG.error("{}: {}", source, problem);
            return;
        }
        boolean recovered = false;
        while (!closed) {
            try {
                if (!Files.isDirectory(config.path())) {
                    throw new IOException(config.path() + " is not a directory (create it, or fix the hot folder's path)");
                }
                if (watcher == null || !watcher.isRunning()) {
                    watcher = FolderWatcher.start(config.path(), parts.patterns(), change -> wake());
                }
                if (!recovered) {
                    recover(parts);
                    recovered = true;
                }
                pass(parts);
                problem = null;
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (closed) {
                    return;
                }
                if (!String.valueOf(e.getMessage()).equals(problem)) {
                    LOG.warn("{}: {}", source, e.getMessage() == null ? e.toString() : e.getMessage());
                }
                problem = e.getMessage() == null ? e.toString() : e.getMessage();
            }
            try {
                sleep(settling > 0 ? SETTLE_TICK : Duration.ofSeconds(config.rescanSeconds()));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** What a crash left half done: batches that were being sent, files whose after-success action was due. */
    private void recover(FolderParts parts) throws InterruptedException {
        for (var batch : files.sendingBatches(config.name()).entrySet()) {
            LOG.info("{}: resuming batch {} ({} file(s)) left open by the last run", source, batch.getKey(), batch.getValue().size());
            send(parts, batch.getKey(), batch.getValue());
        }
        for (HotFileStore.HotFile f : files.inState(config.name(), "disposing")) {
            dispose(parts, f);
        }
    }

    /** One scan, what it made ready, and the sending of what is due. */
    private void pass(FolderParts parts) throws IOException, InterruptedException {
        signalled = false;
        FolderSnapshot snapshot = parts.scanner().scan(config.path());
        SettleReport report = parts.tracker().observe(snapshot);
        settling = report.settling().size();
        for (ReadyFile ready : report.ready()) {
            take(parts, ready);
        }
        if (!snapshot.truncated()) {
            forgetVanished(snapshot);
        }
        while (!closed && !pause.paused()) {
            List<HotFileStore.HotFile> due = files.due(config.name(), config.batchFiles());
            if (due.isEmpty()) {
                return;
            }
            String ref = "hf-" + HexFormat.of().formatHex(randomBytes());
            files.sending(config.name(), due.stream().map(HotFileStore.HotFile::path).toList(), ref);
            send(parts, ref, due);
        }
    }

    /** A file the tracker says is complete: already sent (this version), refused by a rule, or queued. */
    private void take(FolderParts parts, ReadyFile ready) throws IOException {
        ScannedFile f = ready.file();
        Optional<HotFileStore.HotFile> known = files.get(config.name(), f.relativePath());
        if (known.isPresent() && known.get().version().sameVersionAs(f)) {
            return;
        }
        Path file = config.path().resolve(f.relativePath());
        Verdict verdict = parts.rules().check(file);
        if (!verdict.accepted()) {
            refusals.refused(source, f.relativePath(), verdict.rule(), verdict.reason());
            state.count(config.name(), "refused", 1);
            if (!config.mirror()) {
                parts.disposal().failed(ready, new FailureReason(verdict.rule(), verdict.reason(),
                        "Fix the file (or the hot folder's rules) and put it into the hot folder again."));
            }
            files.forget(config.name(), f.relativePath());
            return;
        }
        String sha = null;
        if (config.mirror()) {
            sha = io.skyhaul.storage.engine.Digests.hex(io.skyhaul.storage.engine.Digests.sha256(file));
            if (known.isPresent() && known.get().state().equals("sent") && sha.equals(known.get().sha256())) {
                files.touched(config.name(), f);
                LOG.debug("{}: {} touched but unchanged: not sent again", source, f.relativePath());
                return;
            }
        }
        files.queue(config.name(), f, sha);
    }

    /** Records of files gone from the folder: queued ones are dropped; kept ones are forgotten (or deleted at the destination, for a mirror). */
    private void forgetVanished(FolderSnapshot snapshot) {
        for (String st : List.of("queued", "sent")) {
            for (HotFileStore.HotFile f : files.inState(config.name(), st)) {
                if (snapshot.file(f.path()).isEmpty() && !Files.exists(config.path().resolve(f.path()))) {
                    if (st.equals("sent") && config.propagateDeletes()) {
                        if (!transfers.deleteAtDestination(config.destination(), f.path(), source)) {
                            continue;
                        }
                    } else if (st.equals("queued")) {
                        LOG.info("{}: {} disappeared before it was sent", source, f.path());
                    }
                    files.forget(config.name(), f.path());
                }
            }
        }
    }

    private void send(FolderParts parts, String ref, List<HotFileStore.HotFile> batch) throws InterruptedException {
        List<TransferSource.NamedFile> named = new ArrayList<>();
        List<HotFileStore.HotFile> sendable = new ArrayList<>();
        for (HotFileStore.HotFile f : batch) {
            Path file = config.path().resolve(f.path());
            if (!Files.isRegularFile(file)) {
                LOG.info("{}: {} disappeared before it was sent", source, f.path());
                files.forget(config.name(), f.path());
                continue;
            }
            named.add(new TransferSource.NamedFile(f.path(), file));
            sendable.add(f);
        }
        if (named.isEmpty()) {
            return;
        }
        pause.awaitRunning();
        try {
            String id = transfers.upload(config.destination(), named, ref, config.maxRate(), source);
            boolean keep = config.afterSuccess() == HotFolderConfig.AfterSuccess.KEEP;
            files.sent(config.name(), ref, id, keep);
            state.count(config.name(), "sent", sendable.size());
            if (!keep) {
                for (HotFileStore.HotFile f : sendable) {
                    dispose(parts, f);
                }
            }
        } catch (GatewayTransfers.Refused e) {
            for (HotFileStore.HotFile f : sendable) {
                giveUp(parts, f, "refused", e.getMessage());
            }
        } catch (GatewayTransfers.Failed e) {
            int attempts = sendable.get(0).attempts() + (e.countsAsAttempt() ? 1 : 0);
            if (attempts >= MAX_ATTEMPTS) {
                for (HotFileStore.HotFile f : sendable) {
                    giveUp(parts, f, "upload-failed", "failed " + attempts + " times; last: " + e.getMessage());
                }
                return;
            }
            Duration wait = e.countsAsAttempt() ? backoff(attempts) : FIRST_RETRY;
            LOG.warn("{}: batch of {} file(s) failed ({}); trying again in {} s", source, sendable.size(), e.getMessage(), wait.toSeconds());
            // Not reaching the manager is not the batch's fault: such a try is not counted against it.
            files.retry(config.name(), ref, e.getMessage(), clock.instant().plus(wait), e.countsAsAttempt());
        }
    }

    private static Duration backoff(int attempts) {
        long seconds = FIRST_RETRY.toSeconds() << Math.min(20, Math.max(0, attempts - 1));
        return Duration.ofSeconds(Math.min(LONGEST_RETRY.toSeconds(), seconds));
    }

    private void giveUp(FolderParts parts, HotFileStore.HotFile f, String rule, String why) {
        state.count(config.name(), "failed", 1);
        LOG.warn("{}: {} not sent: {}", source, f.path(), why);
        try {
            if (!config.mirror()) {
                parts.disposal().failed(readyOf(parts, f), new FailureReason(rule, why,
                        "Check the destination and the gateway's log, then put the file into the hot folder again."));
            }
        } catch (IOException e) {
            LOG.warn("{}: cannot move {} to the error folder: {}", source, f.path(), e.getMessage());
        }
        files.forget(config.name(), f.path());
    }

    private void dispose(FolderParts parts, HotFileStore.HotFile f) {
        try {
            FileDisposal.Result r = parts.disposal().succeeded(readyOf(parts, f));
            if (r.outcome() == FileDisposal.Outcome.CHANGED) {
                LOG.info("{}: {} changed after it was sent: left in place, it will be sent again", source, f.path());
            }
            files.forget(config.name(), f.path());
        } catch (IOException e) {
            LOG.warn("{}: {} was sent, but cannot be {} yet: {}", source, f.path(), config.afterSuccess() == HotFolderConfig.AfterSuccess.MOVE
                    ? "moved to " + config.doneFolder() : "deleted", e.getMessage());
        }
    }

    private ReadyFile readyOf(FolderParts parts, HotFileStore.HotFile f) {
        return new ReadyFile(f.version(), parts.marker().map(m -> m.markerFor(f.path())), false);
    }

    GatewayMessages.HotFolderStatus status() {
        GatewayState.Counts c = state.counts(config.name());
        return new GatewayMessages.HotFolderStatus(config.name(), config.path().toString(), config.destination(), settling,
                files.count(config.name(), "queued"), files.count(config.name(), "sending"), c.sent(), c.failed(), c.refused(), problem);
    }

    private void wake() {
        signalled = true;
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    private void sleep(Duration d) throws InterruptedException {
        long deadline = System.nanoTime() + d.toNanos();
        synchronized (wake) {
            while (!signalled && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                wake.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[8];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    @Override
    public void close() {
        closed = true;
        if (thread != null) {
            thread.interrupt();
        }
        try {
            if (watcher != null) {
                watcher.close();
            }
        } catch (IOException e) {
            LOG.debug("{}: closing its watcher: {}", source, e.toString());
        }
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The folder's parts, built once from its configuration. */
    private record FolderParts(FilePatterns patterns, FolderScanner scanner, SettleTracker tracker, FileDisposal disposal,
            io.skyhaul.gateway.rules.FileRules rules, Optional<ReadyMarker> marker) {
        static FolderParts of(HotFolderConfig c, Clock clock) {
            List<String> internal = new ArrayList<>();
            for (Path p : List.of(c.doneFolder(), c.errorFolder())) {
                Path normal = p.normalize();
                if (normal.startsWith(c.path().normalize()) && !normal.equals(c.path().normalize())) {
                    internal.add(c.path().normalize().relativize(normal).toString().replace(java.io.File.separatorChar, '/'));
                }
            }
            FilePatterns patterns = new FilePatterns(c.include(), c.exclude(), internal);
            Optional<ReadyMarker> marker = Optional.ofNullable(c.marker()).map(ReadyMarker::new);
            FolderScanner scanner = marker.isPresent() ? new FolderScanner(patterns, HotFolderLimits.DEFAULTS.maxEntriesPerScan(), marker.get())
                    : new FolderScanner(patterns, HotFolderLimits.DEFAULTS.maxEntriesPerScan());
            SettleTracker tracker = marker.isPresent() ? SettleTracker.byMarker(clock, marker.get())
                    : SettleTracker.bySettleTime(clock, Duration.ofSeconds(c.settleSeconds()));
            FileDisposal.AfterSuccess after = switch (c.afterSuccess()) {
                case KEEP -> FileDisposal.AfterSuccess.KEEP;
                case MOVE -> FileDisposal.AfterSuccess.MOVE_TO_DONE;
                case DELETE -> FileDisposal.AfterSuccess.DELETE;
            };
            return new FolderParts(patterns, scanner, tracker, new FileDisposal(c.path(), after, c.doneFolder(), c.errorFolder(), clock),
                    RulesOf.config(c.rules()), marker);
        }
    }
}
