package io.skyhaul.transport.session;

import io.skyhaul.transport.cc.CongestionController;
import io.skyhaul.transport.cc.DeliveryRate;
import io.skyhaul.transport.cc.RateControlSettings;
import io.skyhaul.transport.cc.RttEstimator;
import io.skyhaul.transport.files.TransferLayout;
import io.skyhaul.transport.files.TransferSource;
import io.skyhaul.transport.reliability.LongRangeSet;
import io.skyhaul.transport.reliability.ReceivedPackets;
import io.skyhaul.transport.reliability.RetransmitQueue;
import io.skyhaul.transport.reliability.SentPackets;
import io.skyhaul.transport.wire.ErrorMessage;
import io.skyhaul.transport.wire.PacketType;
import io.skyhaul.transport.wire.Wire;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a transfer's byte space: first the manifest, then (after the receiver's PLAN says what
 * it already holds) the missing file bytes and the digest table. Paced at the rate controller's
 * rate; lost packets (by FEEDBACK acknowledgements, time and reordering thresholds, or a probe
 * timeout) are sent again under new packet numbers.
 */
final class DataSender implements SessionRole {
    private static final Logger LOG = LoggerFactory.getLogger(DataSender.class);
    private static final int SENT_RING = 1 << 17;
    private static final long TICK_NANOS = 5_000_000L;
    /** A tick this much after the previous one means this side was not running in between. */
    private static final long LATE_TICK_NANOS = 3 * TICK_NANOS;
    private static final long MIN_CONTROL_INTERVAL_NANOS = 10_000_000L;
    private static final long MIN_PACING_DELAY_NANOS = 100_000L;
    /**
     * A pacing burst is at most this much of the pacing rate, and at most {@link #BURST_QUEUE_SHARE}
     * of the queue target (which shrinks when the bottleneck's buffer overflows), but at least
     * {@link #MIN_BURST_PACKETS}: few wake-ups where the buffer is deep, short bursts where it is
     * shallow.
     */
    private static final long PACING_BURST_NANOS = 1_000_000L;
    private static final double BURST_QUEUE_SHARE = 0.25;
    private static final int MIN_BURST_PACKETS = 4;
    private static final int REORDER_THRESHOLD = 1024;
    private static final long PROBE_EXTRA_NANOS = 25_000_000L;
    /** Probes back off exponentially, but never wait longer than this: a silent peer is the idle timeout's business. */
    private static final long MAX_PROBE_TIMEOUT_NANOS = 1_000_000_000L;
    private static final int MAX_PROBE_BACKOFF = 4;
    private static final int PROBE_PACKETS = 2;
    /** Added to 9/8 of the RTT before an unacknowledged packet that a later one overtook counts as lost. */
    private static final long LOSS_DELAY_EXTRA_NANOS = 1_000_000L;
    /** A pending loss timer due at most this much after a new deadline is left alone. */
    private static final long LOSS_TIMER_SLACK_NANOS = 250_000L;
    private static final long PROGRESS_EVERY_NANOS = 200_000_000L;

    private enum Phase { HEADER, AWAIT_PLAN, DATA, AWAIT_RESULT, DONE }

    private final SessionContext ctx;
    private final TransferSource source;
    private final TransferLayout layout;
    private final SentPackets sent = new SentPackets(SENT_RING);
    private final RetransmitQueue retransmit = new RetransmitQueue();
    private final RttEstimator rtt = new RttEstimator();
    private final DeliveryRate deliveryRate = new DeliveryRate();
    private final CongestionController congestion;
    private final LongRangeSet have = new LongRangeSet();
    private final int payload;
    private Phase phase = Phase.HEADER;
    private long nextNew;
    private long receiverCumulative;
    private long largestAcked = -1;
    private long deliveredReported;
    private long deliveredAtInterval = -1;
    private long intervalStartNanos;
    private double deliveredRate;
    private long lastProgressNanos;
    private long lastAckNanos;
    private int probeCount;
    private double tokens;
    private long lastRefillNanos;
    private ScheduledFuture<?> pacingTimer;
    private ScheduledFuture<?> tick;
    private long sentBytes;
    private long retransmittedBytes;
    private long resumedBytes;
    private long startNanos;
    private boolean windowLimited;
    private long ackedInRound;
    private long lostInRound;
    private int probesAllowed;
    private long chunkOffset;
    private int chunkLength;
    private boolean chunkIsRetransmit;
    private long probeTimeouts;
    private long lossTimerRecoveries;
    private ScheduledFuture<?> lossTimer;
    private long lossTimerAt;
    private long lostPackets;
    private long lastTickNanos;
    private long maxTickGapNanos;

    DataSender(SessionContext ctx, TransferSource source) {
        this.ctx = ctx;
        this.source = source;
        this.layout = source.layout();
        this.congestion = new CongestionController(ctx.settings().rateControl(), ctx.settings().policy(), ctx.settings().datagramSize());
        this.payload = ctx.settings().dataPayload();
    }

    @Override
    public void start() {
        startNanos = System.nanoTime();
        lastRefillNanos = startNanos;
        lastAckNanos = startNanos;
        intervalStartNanos = startNanos;
        source.hasher().start();
        tick = ctx.loop().scheduleAtFixedRate(this::onTick, TICK_NANOS, TICK_NANOS, TimeUnit.NANOSECONDS);
        trySend();
    }

    @Override
    public void onPacket(PacketType type, long packetNumber, ByteBuffer body, long now) {
        switch (type) {
            case FEEDBACK -> onFeedback(body, now);
            case PLAN -> onPlan(body);
            case RESULT -> onResult(body);
            default -> { }
        }
    }

    private void onFeedback(ByteBuffer body, long now) {
        long cumulative = body.getLong();
        long delivered = body.getLong();
        long largest = body.getLong();
        long ackDelayMicros = Integer.toUnsignedLong(body.getInt());
        if (body.remaining() != ReceivedPackets.FEEDBACK_SPAN / 8) {
            throw new IllegalArgumentException("feedback bitmap of " + body.remaining() + " bytes");
        }
        receiverCumulative = Math.max(receiverCumulative, cumulative);
        deliveredReported = Math.max(deliveredReported, delivered);
        if (congestion.inStartup()) {
            deliveryRate.onFeedback(now, deliveredReported);
            RateControlSettings rc = ctx.settings().rateControl();
            congestion.onDeliveryRate(deliveryRate.bytesPerSecond(
                    Math.max(rc.deliveryRateMinSpanNanos(), (long) (rtt.smoothedNanos() * rc.deliveryRateSpanFraction()))));
        }
        if (largest > largestAcked) {
            long sentAt = sent.sentNanosIfInFlight(largest);
            long sample = sentAt < 0 ? -1 : now - sentAt - ackDelayMicros * 1000;
            if (sample > 0) {
                rtt.sample(sample);
                if (congestion.inStartup() && rtt.recentMinNanos() > 0) {
                    congestion.onRttSample(rtt.recentMinNanos(), rtt.baseNanos());
                    if (!congestion.inStartup()) {
                        LOG.debug("session {}: start-up ends: recent RTT {} us over a base of {} us; peak delivery {} Mbit/s; window now {} B",
                                ctx.sessionId(), rtt.recentMinNanos() / 1000, rtt.baseNanos() / 1000,
                                String.format("%.1f", congestion.startupDeliveryRate() * 8 / 1e6), (long) congestion.window());
                    }
                }
            }
            largestAcked = largest;
        }
        int acked = 0;
        int base = body.position();
        for (int i = 0; i < ReceivedPackets.FEEDBACK_SPAN / 8; i++) {
            int bits = body.get(base + i) & 0xff;
            while (bits != 0) {
                int bit = Integer.numberOfTrailingZeros(bits);
                bits &= bits - 1;
                long pn = largest - (i * 8L + bit);
                if (pn >= 0) {
                    int length = sent.onAcked(pn);
                    if (length >= 0) {
                        acked++;
                        ackedInRound += length;
                    }
                }
            }
        }
        if (acked > 0) {
            lastAckNanos = now;
            probeCount = 0;
        }
        detectLosses(now);
        if ((phase == Phase.DATA || phase == Phase.AWAIT_RESULT) && receiverCumulative >= layout.total()) {
            phase = Phase.AWAIT_RESULT;
        }
        trySend();
    }

    /**
     * Declares lost what later packets' acknowledgements have passed and is older than the loss
     * delay, and arms the loss timer for the oldest such packet not yet old enough: a burst lost
     * behind the last acknowledged packet is recovered one loss delay after it was sent even when
     * no further FEEDBACK comes (the window may be full of the burst), never by the probe timeout.
     */
    private void detectLosses(long now) {
        long lossDelay = Math.max(rtt.smoothedNanos(), rtt.latestNanos()) * 9 / 8 + LOSS_DELAY_EXTRA_NANOS;
        sent.detectLosses(largestAcked, now - lossDelay, REORDER_THRESHOLD, this::onLost);
        long passed = sent.oldestPassedNanos(largestAcked);
        if (passed >= 0) {
            armLossTimer(passed + lossDelay, now);
        }
    }

    private void armLossTimer(long deadline, long now) {
        if (lossTimer != null && deadline >= lossTimerAt - LOSS_TIMER_SLACK_NANOS) {
            // The pending timer fires in time (or early, and then re-checks).
            return;
        }
        if (lossTimer != null) {
            lossTimer.cancel(false);
        }
        lossTimerAt = Math.max(deadline, now + MIN_PACING_DELAY_NANOS);
        lossTimer = ctx.loop().schedule(this::onLossTimer, lossTimerAt - now, TimeUnit.NANOSECONDS);
    }

    private void onLossTimer() {
        lossTimer = null;
        if (phase == Phase.DONE) {
            return;
        }
        long now = System.nanoTime();
        int before = retransmit.size();
        detectLosses(now);
        if (retransmit.size() > before) {
            lossTimerRecoveries++;
        }
        trySend();
    }

    private void onPlan(ByteBuffer body) {
        if (phase != Phase.HEADER && phase != Phase.AWAIT_PLAN) {
            return;
        }
        int n = Short.toUnsignedInt(body.getShort());
        for (int i = 0; i < n; i++) {
            long start = body.getLong();
            long end = body.getLong();
            if (start < layout.headerEnd() || end > layout.tableStart() || end < start) {
                throw new IllegalArgumentException("plan range " + start + "-" + end + " outside the file area");
            }
            have.add(start, end);
        }
        resumedBytes = have.totalLength();
        phase = Phase.DATA;
        nextNew = layout.headerEnd();
        if (resumedBytes > 0) {
            LOG.info("session {}: receiver already holds {} bytes; sending only the rest", ctx.sessionId(), resumedBytes);
        }
        trySend();
    }

    private void onResult(ByteBuffer body) {
        ErrorMessage result = ErrorMessage.read(body);
        ctx.wire().send(PacketType.CLOSE, ctx.wire().body());
        ctx.wire().flush();
        if (phase == Phase.DONE) {
            return;
        }
        phase = Phase.DONE;
        if (result.code() == 0) {
            ctx.finished(report());
        } else {
            ctx.failed(new TransferException(TransferError.fromWire(result.code()), "the receiver reports: " + result.message()), false);
        }
    }

    private TransferReport report() {
        Map<String, String> digests = new LinkedHashMap<>();
        for (int f = 0; f < layout.fileCount(); f++) {
            digests.put(source.manifest().entries().get(layout.entryOf(f)).path(), java.util.HexFormat.of().formatHex(source.hasher().digest(f)));
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return new TransferReport(layout.fileCount(), source.manifest().totalFileBytes(), resumedBytes, sentBytes, retransmittedBytes, seconds,
                digests, probeTimeouts);
    }

    private void onTick() {
        long now = System.nanoTime();
        if (phase == Phase.DONE) {
            return;
        }
        long tickGap = lastTickNanos == 0 ? 0 : now - lastTickNanos;
        maxTickGapNanos = Math.max(maxTickGapNanos, tickGap);
        lastTickNanos = now;
        if (now - ctx.lastPeerPacketNanos() > ctx.settings().idleTimeout().toNanos()) {
            ctx.failed(new TransferException(TransferError.PEER_SILENT, "the receiver has been silent for "
                    + ctx.settings().idleTimeout().toSeconds() + " s; the transfer can be resumed by running it again"), true);
            return;
        }
        if (source.hasher().failure() != null) {
            ctx.failed(new TransferException(TransferError.LOCAL_IO, source.hasher().failure().getMessage()), true);
            return;
        }
        long interval = Math.max(rtt.smoothedNanos(), MIN_CONTROL_INTERVAL_NANOS);
        if (now - intervalStartNanos >= interval) {
            if (deliveredAtInterval >= 0) {
                deliveredRate = (deliveredReported - deliveredAtInterval) * 1e9 / (now - intervalStartNanos);
            }
            long resolved = ackedInRound + lostInRound;
            boolean wasStartup = congestion.inStartup();
            long intervalMin = rtt.takeIntervalMin();
            double lossRate = resolved == 0 ? 0 : (double) lostInRound / resolved;
            congestion.onRoundTrip(intervalMin, rtt.baseNanos(), rtt.smoothedNanos(), windowLimited, lossRate,
                    resolved / ctx.settings().dataPayload(), deliveredRate);
            if (wasStartup && !congestion.inStartup()) {
                LOG.debug("session {}: start-up ends at a round trip's end: minimum RTT {} us over a base of {} us, loss {}%;"
                        + " peak delivery {} Mbit/s; window now {} B", ctx.sessionId(), intervalMin / 1000, rtt.baseNanos() / 1000,
                        String.format("%.1f", lossRate * 100), String.format("%.1f", congestion.startupDeliveryRate() * 8 / 1e6),
                        (long) congestion.window());
            }
            if (!wasStartup && congestion.inStartup()) {
                LOG.debug("session {}: start-up again after {} round trips without a queue; window {} B", ctx.sessionId(),
                        ctx.settings().rateControl().restartAfterIdleRounds(), (long) congestion.window());
            }
            windowLimited = false;
            ackedInRound = 0;
            lostInRound = 0;
            deliveredAtInterval = deliveredReported;
            intervalStartNanos = now;
        }
        long probeTimeout = Math.min(MAX_PROBE_TIMEOUT_NANOS,
                (rtt.smoothedNanos() + 4 * rtt.variationNanos() + PROBE_EXTRA_NANOS) << Math.min(probeCount, MAX_PROBE_BACKOFF));
        // A silence that this side slept through (its own tick came late: CPU starvation on a
        // shared host, a pause) says nothing about the path: give the peer's answers, which may
        // be waiting in the socket, one more tick to be read.
        boolean slept = tickGap > LATE_TICK_NANOS;
        if (sent.bytesInFlight() > 0 && now - lastAckNanos > probeTimeout && !slept) {
            // Nothing acknowledged for a while: resend the oldest packet as a probe, even past the
            // window, so the receiver answers and loss detection can resume.
            if (LOG.isDebugEnabled()) {
                long oldestSent = sent.oldestInFlightNanos();
                LOG.debug("session {}: probe timeout {} us: nothing acknowledged for {} us; inflight {} B window {} B largest acked {}"
                        + " oldest in flight sent {} us ago, retransmit queue {}, next packet {}", ctx.sessionId(), probeTimeout / 1000,
                        (now - lastAckNanos) / 1000, sent.bytesInFlight(), (long) congestion.window(), largestAcked,
                        oldestSent < 0 ? -1 : (now - oldestSent) / 1000, retransmit.size(), ctx.wire().nextPacketNumber());
            }
            probeTimeouts++;
            sent.loseOldest(this::onLost);
            probesAllowed = PROBE_PACKETS;
            probeCount++;
            lastAckNanos = now;
        }
        if (now - lastProgressNanos >= PROGRESS_EVERY_NANOS) {
            lastProgressNanos = now;
            if (LOG.isDebugEnabled()) {
                LOG.debug("session {}: phase {} window {} B{} alpha {} B usual loss {}% pacing {} Mbit/s delivered {} Mbit/s srtt {} us"
                        + " base {} us inflight {} B retransmit queue {} next {} acked-to {} tokens {} timer {} lost {} probes {} loss timer {}"
                        + " max tick gap {} us",
                        ctx.sessionId(), phase,
                        (long) congestion.window(), congestion.inStartup() ? " (start-up)" : "", (long) congestion.queueTarget(),
                        String.format("%.1f", congestion.usualLoss() * 100), String.format("%.1f", congestion.pacingRate(rtt.smoothedNanos()) * 8 / 1e6),
                        String.format("%.1f", deliveredRate * 8 / 1e6), rtt.smoothedNanos() / 1000, rtt.baseNanos() / 1000, sent.bytesInFlight(),
                        retransmit.size(), nextNew, receiverCumulative, (long) tokens, pacingTimer != null, lostPackets, probeTimeouts,
                        lossTimerRecoveries, maxTickGapNanos / 1000);
                maxTickGapNanos = 0;
            }
            long done = Math.max(0, Math.min(receiverCumulative, layout.tableStart()) - layout.headerEnd());
            ctx.progress().progress(done, layout.tableStart() - layout.headerEnd(), deliveredRate);
        }
        trySend();
    }

    private void trySend() {
        if (pacingTimer != null || phase == Phase.DONE) {
            return;
        }
        long now = System.nanoTime();
        double bytesPerSecond = congestion.pacingRate(rtt.smoothedNanos());
        double burst = Math.max(MIN_BURST_PACKETS * (double) ctx.settings().datagramSize(),
                Math.min(bytesPerSecond * PACING_BURST_NANOS / 1e9, congestion.queueTarget() * BURST_QUEUE_SHARE));
        tokens = Math.min(burst, tokens + bytesPerSecond * (now - lastRefillNanos) / 1e9);
        lastRefillNanos = now;
        int packets = 0;
        double window = congestion.window();
        boolean more = false;
        try {
            while (tokens > 0) {
                if (sent.full(ctx.wire().nextPacketNumber())) {
                    break;
                }
                boolean probe = false;
                if (sent.bytesInFlight() >= window) {
                    windowLimited |= hasSomethingToSend();
                    if (probesAllowed == 0) {
                        break;
                    }
                    probe = true;
                }
                if (!nextChunk()) {
                    break;
                }
                if (probe) {
                    probesAllowed--;
                }
                sendData(now);
                tokens -= chunkLength + Wire.DATA_OVERHEAD;
                packets++;
                more = true;
            }
        } catch (IOException e) {
            ctx.failed(new TransferException(TransferError.LOCAL_IO, "cannot read the file being sent: " + e.getMessage(), e), true);
            return;
        }
        if (packets > 0) {
            ctx.wire().flush();
        }
        if (more && tokens <= 0) {
            long delay = Math.max(MIN_PACING_DELAY_NANOS, (long) (-tokens / bytesPerSecond * 1e9));
            pacingTimer = ctx.loop().schedule(() -> {
                pacingTimer = null;
                trySend();
            }, delay, TimeUnit.NANOSECONDS);
        }
    }

    private void onLost(long offset, int length) {
        lostPackets++;
        lostInRound += length;
        retransmit.add(offset, length);
    }

    /** Whether a retransmission or new bytes wait to be sent (without taking them). */
    private boolean hasSomethingToSend() {
        if (!retransmit.isEmpty()) {
            return true;
        }
        return phase == Phase.HEADER || phase == Phase.DATA && have.contiguousFrom(nextNew) < layout.total();
    }

    /** Picks the next range to send: a retransmission first, then new bytes. */
    private boolean nextChunk() {
        while (!retransmit.isEmpty()) {
            long offset = retransmit.peekOffset();
            int length = retransmit.peekLength();
            retransmit.pop();
            if (offset + length <= receiverCumulative) {
                continue;
            }
            chunkOffset = offset;
            chunkLength = length;
            chunkIsRetransmit = true;
            return true;
        }
        chunkIsRetransmit = false;
        if (phase == Phase.HEADER) {
            chunkOffset = nextNew;
            chunkLength = (int) Math.min(payload, layout.headerEnd() - nextNew);
            nextNew += chunkLength;
            if (nextNew == layout.headerEnd()) {
                phase = Phase.AWAIT_PLAN;
            }
            return true;
        }
        if (phase != Phase.DATA) {
            return false;
        }
        nextNew = Math.max(nextNew, have.contiguousFrom(nextNew));
        if (nextNew >= layout.total()) {
            return false;
        }
        if (nextNew >= layout.tableStart() && !source.hasher().done()) {
            return false;
        }
        long limit = Math.min(layout.total(), nextNew + payload);
        limit = Math.min(limit, have.nextStartAfter(nextNew));
        if (nextNew < layout.tableStart()) {
            limit = Math.min(limit, layout.tableStart());
        }
        chunkOffset = nextNew;
        chunkLength = (int) (limit - nextNew);
        nextNew = limit;
        return true;
    }

    private void sendData(long now) throws IOException {
        ByteBuffer body = ctx.wire().body();
        body.putLong(chunkOffset);
        source.read(chunkOffset, chunkLength, body);
        long pn = ctx.wire().send(PacketType.DATA, body);
        sent.onSent(pn, chunkOffset, chunkLength, now);
        sentBytes += chunkLength;
        if (chunkIsRetransmit) {
            retransmittedBytes += chunkLength;
        }
    }

    @Override
    public void close() {
        phase = Phase.DONE;
        if (tick != null) {
            tick.cancel(false);
        }
        if (pacingTimer != null) {
            pacingTimer.cancel(false);
        }
        if (lossTimer != null) {
            lossTimer.cancel(false);
        }
        source.close();
    }
}
