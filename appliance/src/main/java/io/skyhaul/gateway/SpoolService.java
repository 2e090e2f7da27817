package io.skyhaul.gateway;

import io.skyhaul.config.SpoolConfig;
import io.skyhaul.gateway.rules.FileRules;
import io.skyhaul.gateway.rules.MagicBytes;
import io.skyhaul.gateway.rules.Verdict;
import io.skyhaul.gateway.spool.Spool;
import io.skyhaul.gateway.spool.SpoolEntry;
import io.skyhaul.gateway.spool.SpoolFullException;
import io.skyhaul.gateway.spool.SpoolRefusedException;
import io.skyhaul.gateway.spool.SpoolUsage;
import io.skyhaul.gateways.GatewayMessages;
import io.skyhaul.transfers.Location;
import io.skyhaul.transport.files.RelativePaths;
import io.skyhaul.transport.files.TransferRefusedException;
import io.skyhaul.transport.files.TransferSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upload buffer at work: files handed over through the local API (or {@code skyhaul spool})
 * are checked against the spool's rules before a byte is stored (name, extension and size from
 * the request, the type from the body's first bytes), written durably by {@link Spool}, and only
 * then acknowledged; an uploader thread sends them in batches in the order they came. A batch is
 * recorded as uploading under its client reference before it leaves, so after a crash it is
 * asked about by that reference: what the manager already has is not sent again.
 */
public final class SpoolService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SpoolService.class);
    static final String SOURCE = "spool";
    static final Duration FIRST_RETRY = Duration.ofSeconds(2);
    static final Duration LONGEST_RETRY = Duration.ofMinutes(5);

    /** A request refused by a rule (or a bad location or name), before any byte was kept. */
    public static final class Refused extends Exception {
        private final String rule;

        Refused(String rule, String message) {
            super(message);
            this.rule = rule;
        }

        public String rule() {
            return rule;
        }
    }

    private final Spool spool;
    private final SpoolConfig config;
    private final FileRules rules;
    private final GatewayTransfers transfers;
    private final Pause pause;
    private final Refusals refusals;
    private final Object wake = new Object();
    private final Thread uploader;
    private volatile boolean closed;
    private volatile int uploading;

    SpoolService(Spool spool, SpoolConfig config, GatewayTransfers transfers, Pause pause, Refusals refusals) {
        this.spool = spool;
        this.config = config;
        this.rules = RulesOf.config(config.rules());
        this.transfers = transfers;
        this.pause = pause;
        this.refusals = refusals;
        this.uploader = new Thread(this::uploadLoop, "skyhaul-spool-uploader");
        uploader.setDaemon(true);
    }

    void start() {
        uploader.start();
    }

    /** Checks, stores durably, and only then returns: the client may forget the file once this returns. */
    public SpoolEntry accept(String location, String path, long size, String sha256Hex, InputStream body)
            throws Refused, SpoolFullException, SpoolRefusedException, IOException {
        try {
            Location.parse(location);
        } catch (IllegalArgumentException e) {
            throw new Refused("location", e.getMessage());
        }
        try {
            RelativePaths.validate(path);
        } catch (TransferRefusedException e) {
            throw new Refused("path", e.getMessage());
        }
        String name = path.substring(path.lastIndexOf('/') + 1);
        check(path, rules.checkSize(name, size));
        byte[] header = body.readNBytes((int) Math.min(size, MagicBytes.HEADER_BYTES));
        if (header.length == Math.min(size, MagicBytes.HEADER_BYTES)) {
            check(path, rules.check(name, size, header));
        }
        SpoolEntry e = spool.accept(location, path, size, sha256Hex, new SequenceInputStream(new ByteArrayInputStream(header), body));
        synchronized (wake) {
            wake.notifyAll();
        }
        return e;
    }

    private void check(String path, Verdict v) throws Refused {
        if (!v.accepted()) {
            refusals.refused(SOURCE, path, v.rule(), v.reason());
            throw new Refused(v.rule(), v.reason());
        }
    }

    private void uploadLoop() {
        int failures = 0;
        while (!closed) {
            try {
                pause.awaitRunning();
                Map<String, List<SpoolEntry>> batches = batches(spool.pending());
                if (batches.isEmpty()) {
                    synchronized (wake) {
                        wake.wait(1000);
                    }
                    continue;
                }
                boolean allWent = true;
                for (var b : batches.entrySet()) {
                    allWent &= upload(b.getKey(), b.getValue());
                }
                failures = allWent ? 0 : failures + 1;
                if (!allWent) {
                    Thread.sleep(Math.min(LONGEST_RETRY.toMillis(), FIRST_RETRY.toMillis() << Math.min(10, failures - 1)));
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.error("spool uploader: {}; trying again", e.toString());
                sleepQuietly(FIRST_RETRY);
            }
        }
    }

    /**
     * What to send next, by client reference: batches a crash left uploading first, then queued
     * entries in order, one location per batch, at most {@code batchFiles}, and a name at most
     * once per batch (a later file of the same name goes in a later batch, so it arrives last).
     */
    private Map<String, List<SpoolEntry>> batches(List<SpoolEntry> pending) {
        Map<String, List<SpoolEntry>> out = new LinkedHashMap<>();
        for (SpoolEntry e : pending) {
            if (e.state() == SpoolEntry.State.UPLOADING && e.clientRef() != null) {
                out.computeIfAbsent(e.clientRef(), k -> new ArrayList<>()).add(e);
            }
        }
        if (!out.isEmpty()) {
            return out;
        }
        List<SpoolEntry> batch = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (SpoolEntry e : pending) {
            if (e.state() != SpoolEntry.State.QUEUED) {
                continue;
            }
            boolean fits = batch.isEmpty() || e.location().equals(batch.get(0).location()) && batch.size() < config.batchFiles();
            if (!fits || !names.add(e.path())) {
                break;
            }
            batch.add(e);
        }
        if (!batch.isEmpty()) {
            out.put("sp-" + batch.get(0).id(), batch);
        }
        return out;
    }

    /** True when the batch is done with (sent, or given up); false when it failed for now. */
    private boolean upload(String ref, List<SpoolEntry> batch) throws IOException, InterruptedException {
        List<String> ids = batch.stream().map(SpoolEntry::id).toList();
        if (batch.get(0).state() == SpoolEntry.State.QUEUED) {
            spool.uploading(ids, null, ref);
        } else {
            LOG.info("spool: resuming batch {} ({} file(s)) left uploading by the last run", ref, ids.size());
        }
        List<TransferSource.NamedFile> named = batch.stream().map(e -> new TransferSource.NamedFile(e.path(), spool.dataFile(e.id()))).toList();
        uploading = ids.size();
        try {
            String transferId = transfers.upload(batch.get(0).location(), named, ref, null, SOURCE);
            spool.uploaded(ids, transferId);
            return true;
        } catch (GatewayTransfers.Refused e) {
            for (SpoolEntry s : batch) {
                spool.failed(s.id(), e.getMessage());
            }
            LOG.warn("spool: the manager refused batch {} ({} file(s) for {}): {}", ref, ids.size(), batch.get(0).location(), e.getMessage());
            return true;
        } catch (GatewayTransfers.Failed e) {
            spool.retry(ids, e.getMessage());
            LOG.warn("spool: batch {} failed for now: {}", ref, e.getMessage());
            return false;
        } finally {
            uploading = 0;
        }
    }

    GatewayMessages.SpoolStatus status() {
        SpoolUsage u = spool.usage();
        return new GatewayMessages.SpoolStatus(u.usedBytes(), u.maxBytes(), u.files(), uploading);
    }

    public Spool spool() {
        return spool;
    }

    private static void sleepQuietly(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        uploader.interrupt();
        try {
            uploader.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        spool.close();
    }
}
