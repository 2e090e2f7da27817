package io.skyhaul.transport.cc;

import java.util.Locale;

/**
 * How a session shares a bottleneck. Both keep a small standing queue of their own at the
 * bottleneck; a {@code background} session keeps an eighth of what a {@code fair} one keeps, so at
 * equilibrium it takes about a ninth of the link next to a fair session and all of it alone.
 */
public enum RatePolicy {
    FAIR(1.0),
    BACKGROUND(1.0 / 8);

    private final double queueShare;

    RatePolicy(double queueShare) {
        this.queueShare = queueShare;
    }

    public double queueShare() {
        return queueShare;
    }

    public static RatePolicy parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown policy '" + text + "': use 'fair' or 'background'");
        }
    }
}
