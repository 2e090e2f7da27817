package io.skyhaul.transport.cc;

/**
 * Delay-based congestion control: a congestion window updated once per round trip by the FAST
 * TCP law, and a pacing rate derived from it.
 *
 * <p>The signal is queuing delay: the smallest RTT seen in the last round trip minus the base
 * (smallest ever) RTT. Loss is not a signal, so random loss does not shrink the window; a queue
 * building at the bottleneck does. Each round trip:
 * <pre>
 *   start-up:      window doubles until the queuing delay exceeds a threshold, then takes FAST's target
 *   no queue:      window grows by a few alphas (probing for a larger share)
 *   otherwise:     window = (1 - gain) window + gain (window * baseRtt / rtt + alpha)
 * </pre>
 * At equilibrium every session keeps {@code alpha} bytes queued at the bottleneck, so sessions
 * with the same alpha get the same rate ({@code alpha / queuing delay}), and a background session
 * with a smaller alpha yields. A window (rather than a rate) bounds what is in flight, which keeps
 * the loop stable when feedback is a long round trip late.
 *
 * <p>Loss matters only when a round trip loses significantly more than the path's usual random
 * loss (see {@link #overflowThreshold}), judged only on enough packets: then the bottleneck's buffer is shallower than alpha,
 * so the window backs off and alpha shrinks (it recovers slowly while no such loss recurs).
 */
public final class CongestionController {
    private final RateControlSettings settings;
    private final double alpha;
    private final double minAlpha;
    private double effectiveAlpha;
    /** The loss rate of round trips without overflow: what the path loses at random. */
    private double randomLoss;
    private static final double RANDOM_LOSS_GAIN = 1.0 / 16;
    private long lossRounds;
    private double windowBeforeDoubling = Double.MAX_VALUE;
    private final double minWindow;
    private final double initialWindow;
    private double window;
    private boolean startup = true;
    /** The highest delivery rate seen during start-up, bytes per second. */
    private double startupDeliveryRate;
    /** Consecutive window-limited round trips without a queue. */
    private int idleRounds;
    private int startupRestarts;

    public CongestionController(RateControlSettings settings, RatePolicy policy, int datagramSize) {
        this.settings = settings;
        this.alpha = settings.queueTargetBytes() * policy.queueShare();
        this.minAlpha = Math.min(alpha, settings.minQueueTargetPackets() * (double) datagramSize);
        this.effectiveAlpha = alpha;
        this.minWindow = settings.minWindowPackets() * (double) datagramSize;
        this.initialWindow = Math.max(minWindow, settings.initialWindowPackets() * (double) datagramSize);
        this.window = initialWindow;
    }

    /** Bytes that may be in flight. */
    public double window() {
        return window;
    }

    /** The queue target in use (alpha, shrunk after overflow). */
    public double queueTarget() {
        return effectiveAlpha;
    }

    /** The loss rate taken as the path's usual random loss. */
    public double usualLoss() {
        return randomLoss;
    }

    public boolean inStartup() {
        return startup;
    }

    /**
     * Pacing rate in bytes per second: the window spread over a round trip, with some headroom so
     * that the window, not the pacer, is what limits, capped at the configured ceiling.
     */
    public double pacingRate(long smoothedRttNanos) {
        double rtt = Math.max(smoothedRttNanos, settings.minRttForPacingNanos()) / 1e9;
        double gain = startup ? settings.startupPacingGain() : settings.pacingGain();
        return Math.max(settings.minRate(), Math.min(settings.maxRate(), gain * window / rtt));
    }

    /**
     * The loss rate above which a round trip of {@code packets} packets shows overflow: the usual
     * random loss plus three standard deviations of a binomial count (so chance alone crosses it
     * about once in a thousand round trips) plus a margin.
     */
    private double overflowThreshold(long packets) {
        double p = Math.max(randomLoss, settings.minAssumedRandomLoss());
        return p + settings.congestionLossSigmas() * Math.sqrt(p * (1 - p) / packets) + settings.congestionLossMargin();
    }

    /**
     * The receiver's recent delivery rate, on every FEEDBACK during start-up: its peak is what the
     * bottleneck (or this session's share of it) carried while start-up's queue built.
     */
    public void onDeliveryRate(double bytesPerSecond) {
        if (startup) {
            startupDeliveryRate = Math.max(startupDeliveryRate, bytesPerSecond);
        }
    }

    /**
     * Every RTT sample during start-up: start-up ends as soon as the recent samples all show a
     * queue, without waiting for the round trip to end (the window doubles every round trip, so
     * a round trip late is twice the queue).
     */
    public void onRttSample(long recentMinRttNanos, long baseRttNanos) {
        // The first round trips' samples carry warm-up noise (both ends just started): only judge
        // once the window has doubled twice.
        if (startup && window >= initialWindow * 4 && (recentMinRttNanos - baseRttNanos) / 1e9 > startupExitDelay(baseRttNanos)) {
            exitStartup(recentMinRttNanos, baseRttNanos);
        }
    }

    /**
     * The queuing delay that ends start-up: an eighth of the base RTT, kept between the
     * configured minimum and four times it (HyStart's clamp), so scheduling noise on a long path
     * does not end start-up at a fraction of the path's capacity.
     */
    private double startupExitDelay(long baseRttNanos) {
        double min = settings.startupExitDelaySeconds();
        return Math.max(min, Math.min(4 * min, baseRttNanos / 8e9));
    }

    /**
     * Leaves start-up with the larger of two estimates of FAST's equilibrium window:
     * <ul>
     * <li>from the queue: the window that built it scaled down by the queue, plus alpha (never more
     * than that window, never less than half of it);
     * <li>from the delivery rate (BBR's estimate): the peak rate the receiver saw while the queue
     * built, times the base RTT, plus alpha; at most twice the current window (one more doubling).
     * </ul>
     * Start-up paces at a multiple of the window's rate, so its queue appears when the burst rate,
     * not the window, passes the bottleneck's rate: at 200 ms the window is then still a third to
     * a half of the path's bandwidth-delay product, and the first estimate alone leaves the rest
     * to FAST's probing, one alpha per round trip (about 12 round trips at 200 Mbit/s).
     */
    private void exitStartup(long rttNanos, long baseRttNanos) {
        startup = false;
        // The queue just seen was built by what was in flight a round trip ago, before the last doubling.
        double built = Math.min(window, windowBeforeDoubling);
        double target = built * baseRttNanos / Math.max(rttNanos, baseRttNanos) + effectiveAlpha;
        double fromQueue = Math.max(built / 2, Math.min(built, target));
        double fromRate = Math.min(settings.startupExitMaxGrowth() * window, startupDeliveryRate * baseRttNanos / 1e9 + effectiveAlpha);
        window = Math.max(minWindow, Math.max(fromQueue, fromRate));
    }

    /**
     * Start-up again: the window has used the path for several round trips without building a
     * queue (start-up ended early on a noisy RTT sample, or a competing session left), so it
     * doubles again until a queue appears, instead of growing one alpha per round trip. Only
     * when the window is large enough for start-up's RTT exit to be armed, so a short path, whose
     * windows are small and whose queue empties often, never bursts at start-up's pacing.
     */
    private void restartStartup() {
        startup = true;
        startupRestarts++;
        idleRounds = 0;
        windowBeforeDoubling = window;
        startupDeliveryRate = 0;
    }

    /** How often start-up was entered again after an idle path (see {@link #restartStartup}). */
    public int startupRestarts() {
        return startupRestarts;
    }

    /** The peak delivery rate seen during start-up, bytes per second (0 before any). */
    public double startupDeliveryRate() {
        return startupDeliveryRate;
    }

    /**
     * One update, once per round trip.
     *
     * @param intervalMinRttNanos the smallest RTT seen during the round trip, or -1 if none
     * @param baseRttNanos the smallest RTT seen in the session
     * @param smoothedRttNanos the smoothed RTT (bounds the window under a rate ceiling)
     * @param windowLimited whether the sender had more to send than the window allowed (a window
     *     that is not used is not grown)
     * @param lossRate fraction of the bytes resolved in the round trip that were lost
     * @param resolvedPackets packets acknowledged or declared lost in the round trip (too few say nothing about the loss rate)
     * @param deliveredBytesPerSecond the rate at which the receiver got data during the round trip (0 if unknown)
     */
    public void onRoundTrip(long intervalMinRttNanos, long baseRttNanos, long smoothedRttNanos, boolean windowLimited, double lossRate,
            long resolvedPackets, double deliveredBytesPerSecond) {
        if (intervalMinRttNanos <= 0) {
            return;
        }
        boolean judged = resolvedPackets >= settings.minPacketsForLossVerdict();
        boolean overflow = judged && lossRate > overflowThreshold(resolvedPackets);
        if (judged) {
            // Every judged round trip teaches the usual loss (a running mean at first, then an
            // exponential one), capped so that sustained overflow is never learnt as normal.
            lossRounds++;
            double learn = Math.max(RANDOM_LOSS_GAIN, 1.0 / lossRounds);
            randomLoss = Math.min(settings.maxRandomLoss(), randomLoss + (lossRate - randomLoss) * learn);
        }
        if (overflow) {
            idleRounds = 0;
            // Far more loss than the path loses at random: the bottleneck's buffer overflows, and
            // it is shallower than our queue target. Back off, and aim for a smaller standing queue.
            startup = false;
            window = Math.max(minWindow, window * Math.max(0.5, 1 - lossRate / 2));
            effectiveAlpha = Math.max(minAlpha, effectiveAlpha * settings.queueTargetCut());
            return;
        }
        effectiveAlpha = Math.min(alpha, effectiveAlpha * settings.queueTargetRecovery());
        double rtt = intervalMinRttNanos;
        double queuing = Math.max(0, intervalMinRttNanos - baseRttNanos) / 1e9;
        double ceiling = settings.maxRate() * Math.max(rtt, smoothedRttNanos) / 1e9 * 2 + minWindow;
        if (startup) {
            if (queuing > startupExitDelay(baseRttNanos)) {
                exitStartup(intervalMinRttNanos, baseRttNanos);
            } else if (windowLimited) {
                windowBeforeDoubling = window;
                window = window * 2;
            }
        } else if (queuing <= settings.queuingDelayFloorSeconds()) {
            if (windowLimited) {
                // Additive in alpha, so a background session probes eight times more gently.
                window = window + settings.probeAlphas() * effectiveAlpha;
                if (++idleRounds >= settings.restartAfterIdleRounds() && window >= initialWindow * 4) {
                    restartStartup();
                }
            } else {
                idleRounds = 0;
            }
        } else {
            idleRounds = 0;
            double target = window * baseRttNanos / rtt + effectiveAlpha;
            window = Math.min(2 * window, (1 - settings.gain()) * window + settings.gain() * target);
        }
        if (!startup) {
            // Never below the bandwidth-delay product of what the receiver just got. At
            // equilibrium the window is that rate times the RTT, above this floor; it binds after
            // start-up ended before the receiver's rate showed the bottleneck's (the queue was
            // seen within milliseconds of forming), when the queue start-up built drains at the
            // bottleneck's rate for a round trip.
            window = Math.max(window, deliveredBytesPerSecond * baseRttNanos / 1e9);
        }
        window = Math.max(minWindow, Math.min(window, Math.max(ceiling, minWindow)));
    }
}
