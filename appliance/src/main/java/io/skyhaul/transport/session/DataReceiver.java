package io.skyhaul.transport.session;

import io.skyhaul.transport.files.Manifest;
import io.skyhaul.transport.files.TransferLayout;
import io.skyhaul.transport.files.TransferRefusedException;
import io.skyhaul.transport.files.TransferSink;
import io.skyhaul.transport.reliability.LongRangeSet;
import io.skyhaul.transport.reliability.ReceivedPackets;
import io.skyhaul.transport.wire.ErrorMessage;
import io.skyhaul.transport.wire.PacketType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives a transfer's byte space: collects the manifest, accepts or refuses it, tells the
 * sender what it already holds (PLAN), writes file bytes into the sink as they come in any order,
 * acknowledges packets (FEEDBACK), and when every byte is in and every digest matches, commits
 * the files and reports the RESULT.
 */
final class DataReceiver implements SessionRole {
    private static final Logger LOG = LoggerFactory.getLogger(DataReceiver.class);
    private static final long TICK_NANOS = 1_000_000L;
    private static final int FEEDBACK_EVERY_PACKETS = 16;
    private static final long PLAN_REPEAT_NANOS = 50_000_000L;
    private static final long RESULT_REPEAT_NANOS = 100_000_000L;
    private static final int RESULT_REPEATS = 30;
    /** While everything has arrived and is still being verified, a FEEDBACK this often (or each quarter idle timeout, if shorter) tells the sender we are alive. */
    private static final long VERIFYING_KEEPALIVE_NANOS = 1_000_000_000L;
    private static final long PROGRESS_EVERY_NANOS = 200_000_000L;
    private static final int MAX_HEADER = TransferLayout.LENGTH_PREFIX + Manifest.MAX_ENCODED_BYTES;

    private enum Phase { HEADER, DATA, RESULT_SENT, DONE }

    private final SessionContext ctx;
    private final TransferSink sink;
    private final LongRangeSet received = new LongRangeSet();
    private final ReceivedPackets packets = new ReceivedPackets();
    private Phase phase = Phase.HEADER;
    private byte[] header = new byte[4096];
    private long headerEnd = -1;
    private TransferLayout layout;
    private long cumulative;
    private long receivedBytes;
    private int packetsSinceFeedback;
    private long lastFeedbackNanos;
    /** The contiguous prefix grew since the sink last heard of it. */
    private boolean sinkBehind;
    private boolean planAcknowledged;
    private long lastPlanNanos;
    private long resumedBytes;
    private ScheduledFuture<?> tick;
    private long startNanos;
    private long lastProgressNanos;
    private long progressBytesAtLast;
    private int resultRepeats;
    private long lastResultNanos;
    private TransferReport report;
    private long lastTickNanos;
    private long maxTickGapNanos;
    private long maxWriteNanos;

    DataReceiver(SessionContext ctx, TransferSink sink) {
        this.ctx = ctx;
        this.sink = sink;
    }

    @Override
    public void start() {
        startNanos = System.nanoTime();
        lastProgressNanos = startNanos;
        tick = ctx.loop().scheduleAtFixedRate(this::onTick, TICK_NANOS, TICK_NANOS, TimeUnit.NANOSECONDS);
    }

    @Override
    public void onPacket(PacketType type, long packetNumber, ByteBuffer body, long now) {
        switch (type) {
            case DATA -> onData(packetNumber, body, now);
            case CLOSE -> onClose();
            default -> { }
        }
    }

    private void onData(long pn, ByteBuffer body, long now) {
        long offset = body.getLong();
        int length = body.remaining();
        long end = offset + length;
        if (offset < 0 || length == 0 || offset > Long.MAX_VALUE - length) {
            throw new IllegalArgumentException("DATA at offset " + offset + " with " + length + " bytes");
        }
        if (phase == Phase.RESULT_SENT || phase == Phase.DONE) {
            packets.record(pn, now);
            return;
        }
        if (layout == null) {
            if (end > MAX_HEADER || headerEnd >= 0 && end > headerEnd) {
                throw new IllegalArgumentException("DATA at " + offset + "-" + end + " before the manifest was accepted");
            }
            if (end > header.length) {
                header = Arrays.copyOf(header, (int) Math.min(MAX_HEADER, Math.max(end, header.length * 2L)));
            }
            body.get(header, (int) offset, length);
        } else {
            if (end > layout.total()) {
                throw new IllegalArgumentException("DATA at " + offset + "-" + end + " past the end " + layout.total());
            }
            if (offset >= layout.headerEnd()) {
                planAcknowledged = true;
                if (!received.contains(offset, end)) {
                    try {
                        long t0 = System.nanoTime();
                        sink.write(offset, body);
                        maxWriteNanos = Math.max(maxWriteNanos, System.nanoTime() - t0);
                    } catch (IOException e) {
                        ctx.failed(new TransferException(TransferError.LOCAL_IO, "cannot write into " + sink.root() + ": " + e.getMessage(), e),
                                true);
                        return;
                    }
                }
            }
        }
        packets.record(pn, now);
        receivedBytes += length;
        received.add(offset, end);
        long newCumulative = received.contiguousFrom(0);
        boolean advanced = newCumulative > cumulative;
        cumulative = newCumulative;
        if (layout == null) {
            tryAcceptHeader();
        } else if (advanced) {
            sinkBehind = true;
        }
        if (++packetsSinceFeedback >= FEEDBACK_EVERY_PACKETS) {
            sendFeedback(now);
        }
        if (layout != null && cumulative == layout.total()) {
            if (!advanceSink()) {
                return;
            }
            tryFinish();
        }
    }

    private void tryAcceptHeader() {
        if (headerEnd < 0 && cumulative >= TransferLayout.LENGTH_PREFIX) {
            long length = ByteBuffer.wrap(header, 0, 4).getInt() & 0xffffffffL;
            if (length > Manifest.MAX_ENCODED_BYTES) {
                ctx.failed(new TransferException(TransferError.REFUSED, "refused a manifest of " + length + " bytes (the limit is "
                        + Manifest.MAX_ENCODED_BYTES + ")"), true);
                return;
            }
            headerEnd = TransferLayout.LENGTH_PREFIX + length;
        }
        if (headerEnd < 0 || cumulative < headerEnd) {
            return;
        }
        try {
            Manifest manifest = Manifest.decode(Arrays.copyOfRange(header, TransferLayout.LENGTH_PREFIX, (int) headerEnd));
            long resumeAt = sink.open(manifest, () -> ctx.loop().execute(this::tryFinish));
            layout = sink.layout();
            header = null;
            resumedBytes = resumeAt - layout.headerEnd();
            received.add(layout.headerEnd(), resumeAt);
            cumulative = received.contiguousFrom(0);
            phase = Phase.DATA;
            sink.startVerifier();
            sinkBehind = true;
            if (!advanceSink()) {
                return;
            }
            LOG.info("session {}: accepted {} entries, {} bytes into {}{}", ctx.sessionId(), manifest.entries().size(),
                    manifest.totalFileBytes(), sink.root(), resumedBytes > 0 ? " (resuming with " + resumedBytes + " bytes already here)" : "");
            sendPlan(System.nanoTime());
        } catch (TransferRefusedException e) {
            ctx.failed(new TransferException(TransferError.REFUSED, e.getMessage()), true);
        } catch (IOException e) {
            ctx.failed(new TransferException(TransferError.LOCAL_IO, "cannot prepare " + sink.root() + ": " + e.getMessage(), e), true);
        }
    }

    private void sendPlan(long now) {
        ByteBuffer body = ctx.wire().body();
        int count = 0;
        int countAt = body.position();
        body.putShort((short) 0);
        for (int i = 0; i < received.rangeCount() && count < 64; i++) {
            long start = Math.max(received.start(i), layout.headerEnd());
            long end = Math.min(received.end(i), layout.tableStart());
            if (end > start) {
                body.putLong(start).putLong(end);
                count++;
            }
        }
        body.putShort(countAt, (short) count);
        ctx.wire().send(PacketType.PLAN, body);
        ctx.wire().flush();
        lastPlanNanos = now;
    }

    /**
     * Writes out the bytes the sink gathered and lets its verifier follow the contiguous prefix:
     * once per feedback rather than per datagram, so that a run of datagrams costs one write.
     * False (and the session failed) when the write fails.
     */
    private boolean advanceSink() {
        if (!sinkBehind || phase != Phase.DATA) {
            return true;
        }
        sinkBehind = false;
        try {
            sink.advance(cumulative);
            return true;
        } catch (IOException e) {
            ctx.failed(new TransferException(TransferError.LOCAL_IO, "cannot write into " + sink.root() + ": " + e.getMessage(), e), true);
            return false;
        }
    }

    private void sendFeedback(long now) {
        if (!advanceSink()) {
            return;
        }
        ByteBuffer body = ctx.wire().body();
        body.putLong(cumulative).putLong(receivedBytes).putLong(packets.largest())
                .putInt((int) Math.min(Integer.MAX_VALUE, (now - packets.largestArrivalNanos()) / 1000));
        packets.writeBitmap(body);
        ctx.wire().send(PacketType.FEEDBACK, body);
        ctx.wire().flush();
        packetsSinceFeedback = 0;
        lastFeedbackNanos = now;
    }

    private void tryFinish() {
        if (phase != Phase.DATA || layout == null || cumulative != layout.total() || !sink.hashed()) {
            return;
        }
        try {
            List<String> mismatches = sink.mismatches();
            if (!mismatches.isEmpty()) {
                sink.deleteStaging();
                ctx.failed(new TransferException(TransferError.DIGEST_MISMATCH, "SHA-256 mismatch for " + mismatches.size() + " file(s), first '"
                        + mismatches.get(0) + "'; nothing was written; run the transfer again"), true);
                return;
            }
            sink.commit();
        } catch (TransferRefusedException e) {
            ctx.failed(new TransferException(TransferError.REFUSED, e.getMessage()), true);
            return;
        } catch (IOException e) {
            LOG.warn("session {}: commit failed", ctx.sessionId(), e);
            ctx.failed(new TransferException(TransferError.LOCAL_IO, "cannot finish writing into " + sink.root() + ": " + e, e), true);
            return;
        }
        Map<String, String> digests = new LinkedHashMap<>();
        for (int f = 0; f < layout.fileCount(); f++) {
            digests.put(sink.manifest().entries().get(layout.entryOf(f)).path(), java.util.HexFormat.of().formatHex(sink.digest(f)));
        }
        report = new TransferReport(layout.fileCount(), sink.manifest().totalFileBytes(), resumedBytes, 0, 0,
                (System.nanoTime() - startNanos) / 1e9, digests);
        phase = Phase.RESULT_SENT;
        long now = System.nanoTime();
        sendFeedback(now);
        sendResult(now);
        ctx.progress().progress(layout.tableStart() - layout.headerEnd(), layout.tableStart() - layout.headerEnd(), 0);
    }

    private void sendResult(long now) {
        ByteBuffer body = ctx.wire().body();
        new ErrorMessage(0, "").write(body);
        ctx.wire().send(PacketType.RESULT, body);
        ctx.wire().flush();
        resultRepeats++;
        lastResultNanos = now;
    }

    private void onClose() {
        if (phase == Phase.RESULT_SENT) {
            phase = Phase.DONE;
            ctx.finished(report);
        }
    }

    private void onTick() {
        long now = System.nanoTime();
        if (phase == Phase.DONE) {
            return;
        }
        if (lastTickNanos != 0) {
            maxTickGapNanos = Math.max(maxTickGapNanos, now - lastTickNanos);
        }
        lastTickNanos = now;
        if (phase == Phase.RESULT_SENT) {
            if (now - lastResultNanos >= RESULT_REPEAT_NANOS) {
                if (resultRepeats >= RESULT_REPEATS) {
                    // The files are committed; the sender just did not say goodbye.
                    phase = Phase.DONE;
                    ctx.finished(report);
                    return;
                }
                sendResult(now);
            }
            return;
        }
        // Everything has arrived and the verifier (with whatever it feeds, e.g. a storage upload)
        // is still reading it back: the wait is ours, not the sender's. Keep the sender informed
        // that we are alive instead of timing it out.
        boolean allArrived = layout != null && cumulative == layout.total();
        if (allArrived) {
            if (now - lastFeedbackNanos >= Math.min(VERIFYING_KEEPALIVE_NANOS, ctx.settings().idleTimeout().toNanos() / 4)) {
                sendFeedback(now);
            }
        } else if (now - ctx.lastPeerPacketNanos() > ctx.settings().idleTimeout().toNanos()) {
            ctx.failed(new TransferException(TransferError.PEER_SILENT, "the sender has been silent for " + ctx.settings().idleTimeout().toSeconds()
                    + " s; what arrived is kept, and running the transfer again resumes it"), true);
            return;
        }
        // At least one FEEDBACK per millisecond while DATA arrives; the count-based ones in
        // between usually make this one unnecessary (half a tick of slack for timer jitter).
        if (packetsSinceFeedback > 0 && now - lastFeedbackNanos >= TICK_NANOS / 2) {
            sendFeedback(now);
        }
        if (layout != null && !planAcknowledged && now - lastPlanNanos >= PLAN_REPEAT_NANOS) {
            sendPlan(now);
        }
        if (now - lastProgressNanos >= PROGRESS_EVERY_NANOS) {
            double rateNow = (receivedBytes - progressBytesAtLast) * 1e9 / (now - lastProgressNanos);
            lastProgressNanos = now;
            progressBytesAtLast = receivedBytes;
            if (LOG.isDebugEnabled()) {
                LOG.debug("session {}: received {} Mbit/s cumulative {} largest packet {} max tick gap {} us max write {} us", ctx.sessionId(),
                        String.format("%.1f", rateNow * 8 / 1e6), cumulative, packets.largest(), maxTickGapNanos / 1000, maxWriteNanos / 1000);
            }
            maxTickGapNanos = 0;
            maxWriteNanos = 0;
            if (layout != null) {
                long done = Math.max(0, Math.min(cumulative, layout.tableStart()) - layout.headerEnd());
                ctx.progress().progress(done, layout.tableStart() - layout.headerEnd(), rateNow);
            }
        }
    }

    @Override
    public void close() {
        phase = Phase.DONE;
        if (tick != null) {
            tick.cancel(false);
        }
        sink.close();
    }
}
