package io.skyhaul.transport.cc;

/**
 * Delay-based congestion control: a congestion window updated once per round trip by the FAST
 * TCP law, and a pacing rate derived from it.
 *
 * <p>The signal is queuing delay: the smallest RTT seen in the last round trip minus the base
 * (smallest ever) RTT. Loss is not a signal, so random loss does not shrink the window; a queue
 * building at the bottleneck does. Each round trip:
 * <pre>
 *   start-up:      window doubles until the queuing delay exceeds a threshold
 *   no queue:      window grows by a few alphas (probing for a larger share)
 *   otherwise:     window = (1 - gain) window + gain (window * baseRtt / rtt + alpha)
 * </pre>
 * At equilibrium every session keeps {@code alpha} bytes queued at the bottleneck, so sessions
 * with the same alpha get the same rate ({@code alpha / queuing delay}), and a background session
 * with a smaller alpha yields. A window (rather than a rate) bounds what is in flight, which keeps
 * the loop stable when feedback is a long round trip late.
 *
 * <p>Loss matters only when a round trip loses far more than the path's usual random loss (more
 * than {@code max(floor, factor × usual + threshold)}, judged only on enough packets): then the bottleneck's buffer is shallower than alpha,
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
    private final double minWindow;
    private double window;
    private boolean startup = true;

    public CongestionController(RateControlSettings settings, RatePolicy policy, int datagramSize) {
        this.settings = settings;
        this.alpha = settings.queueTargetBytes() * policy.queueShare();
        this.minAlpha = Math.min(alpha, settings.minQueueTargetPackets() * (double) datagramSize);
        this.effectiveAlpha = alpha;
        this.minWindow = settings.minWindowPackets() * (double) datagramSize;
        this.window = Math.max(minWindow, settings.initialWindowPackets() * (double) datagramSize);
    }

    /** Bytes that may be in flight. */
    public double window() {
        return window;
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
        return Math.max(settings.minRate(), Math.min(settings.maxRate(), settings.pacingGain() * window / rtt));
    }

    /**
     * Every RTT sample during start-up: start-up ends as soon as the recent samples all show a
     * queue, without waiting for the round trip to end (the window doubles every round trip, so
     * a round trip late is twice the queue).
     */
    public void onRttSample(long recentMinRttNanos, long baseRttNanos) {
        if (startup && (recentMinRttNanos - baseRttNanos) / 1e9 > settings.startupExitDelaySeconds()) {
            exitStartup();
        }
    }

    /** The window that last doubled did not build a queue; the current one does. Go back to it, plus alpha. */
    private void exitStartup() {
        startup = false;
        window = Math.max(minWindow, window / 2 + effectiveAlpha);
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
     */
    public void onRoundTrip(long intervalMinRttNanos, long baseRttNanos, long smoothedRttNanos, boolean windowLimited, double lossRate,
            long resolvedPackets) {
        if (intervalMinRttNanos <= 0) {
            return;
        }
        boolean overflow = resolvedPackets >= settings.minPacketsForLossVerdict()
                && lossRate > Math.max(settings.congestionLossFloor(), randomLoss * settings.congestionLossFactor() + settings.congestionLossThreshold());
        if (overflow) {
            // Far more loss than random loss explains: the bottleneck's buffer overflows, and it is
            // shallower than our queue target. Back off, and aim for a smaller standing queue.
            startup = false;
            window = Math.max(minWindow, window * Math.max(0.5, 1 - lossRate / 2));
            effectiveAlpha = Math.max(minAlpha, effectiveAlpha * settings.queueTargetCut());
            return;
        }
        if (resolvedPackets >= settings.minPacketsForLossVerdict()) {
            // Capped, so that sustained overflow loss is never learnt as the path's random loss.
            randomLoss = Math.min(settings.maxRandomLoss(), randomLoss + (lossRate - randomLoss) * RANDOM_LOSS_GAIN);
        }
        effectiveAlpha = Math.min(alpha, effectiveAlpha * settings.queueTargetRecovery());
        double rtt = intervalMinRttNanos;
        double queuing = Math.max(0, intervalMinRttNanos - baseRttNanos) / 1e9;
        double ceiling = settings.maxRate() * Math.max(rtt, smoothedRttNanos) / 1e9 * 2 + minWindow;
        if (startup) {
            if (queuing > settings.startupExitDelaySeconds()) {
                exitStartup();
            } else if (windowLimited) {
                window = window * 2;
            }
        } else if (queuing <= settings.queuingDelayFloorSeconds()) {
            if (windowLimited) {
                // Additive in alpha, so a background session probes eight times more gently.
                window = window + settings.probeAlphas() * effectiveAlpha;
            }
        } else {
            double target = window * baseRttNanos / rtt + effectiveAlpha;
            window = Math.min(2 * window, (1 - settings.gain()) * window + settings.gain() * target);
        }
        window = Math.max(minWindow, Math.min(window, Math.max(ceiling, minWindow)));
    }
}
