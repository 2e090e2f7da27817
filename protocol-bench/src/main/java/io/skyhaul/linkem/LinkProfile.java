package io.skyhaul.linkem;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The impairments of one emulated link, applied the same way to each direction. Immutable;
 * build it with {@link #builder()} or parse it from command-line flags with
 * {@link LinkProfileParser}.
 *
 * <p>The model, per direction and in this order: random loss on ingress; a drop-tail queue of
 * {@link #queueBytes()} served at {@link #rateBitsPerSecond()}; propagation delay plus jitter
 * (which never reorders); duplication; reordering of selected packets by an extra delay.
 */
public final class LinkProfile {

    private final long delayNanos;
    private final long jitterNanos;
    private final long rateBitsPerSecond;
    private final long explicitQueueBytes;
    private final double lossProbability;
    private final GilbertElliottLoss.Parameters burstLoss;
    private final double duplicateProbability;
    private final double reorderProbability;
    private final long reorderDelayNanos;
    private final long seed;

    private LinkProfile(Builder b) {
        this.delayNanos = b.delayNanos;
        this.jitterNanos = b.jitterNanos;
        this.rateBitsPerSecond = b.rateBitsPerSecond;
        this.explicitQueueBytes = b.queueBytes;
        this.lossProbability = b.lossProbability;
        this.burstLoss = b.burstLoss;
        this.duplicateProbability = b.duplicateProbability;
        this.reorderProbability = b.reorderProbability;
        this.reorderDelayNanos = b.reorderDelayNanos;
        this.seed = b.seed;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A link that only forwards: no delay, loss, rate limit or reordering. */
    public static LinkProfile unimpaired() {
        return builder().build();
    }

    /** One-way propagation delay, applied to each direction. */
    public long delayNanos() {
        return delayNanos;
    }

    /** Maximum deviation of a packet's delay from {@link #delayNanos()}, uniform in ±jitter. */
    public long jitterNanos() {
        return jitterNanos;
    }

    /** Bottleneck rate in bit/s; {@link LinkDefaults#RATE_UNLIMITED} (0) means no bottleneck. */
    public long rateBitsPerSecond() {
        return rateBitsPerSecond;
    }

    public boolean isRateLimited() {
        return rateBitsPerSecond != LinkDefaults.RATE_UNLIMITED;
    }

    /**
     * Drop-tail buffer in front of the bottleneck, in bytes. When not set explicitly it is one
     * bandwidth-delay product ({@code rate × 2 × delay}) but at least
     * {@link LinkDefaults#MIN_DEFAULT_QUEUE_BYTES}, the usual rule of thumb for router buffers.
     * Without a rate limit there is no queue and this is {@link Long#MAX_VALUE}.
     */
    public long queueBytes() {
        if (!isRateLimited()) {
            return Long.MAX_VALUE;
        }
        if (explicitQueueBytes > 0) {
            return explicitQueueBytes;
        }
        double bdpBytes = rateBitsPerSecond / 8.0 * 2 * delayNanos / 1e9;
        return Math.max(LinkDefaults.MIN_DEFAULT_QUEUE_BYTES, Math.round(bdpBytes));
    }

    /** True when {@code --queue} was given rather than derived from rate and delay. */
    public boolean hasExplicitQueue() {
        return explicitQueueBytes > 0;
    }

    /** Independent loss probability (the good-state loss when burst loss is configured). */
    public double lossProbability() {
        return lossProbability;
    }

    /** Gilbert-Elliott parameters, or null when loss is independent. */
    public GilbertElliottLoss.Parameters burstLoss() {
        return burstLoss;
    }

    public double duplicateProbability() {
        return duplicateProbability;
    }

    public double reorderProbability() {
        return reorderProbability;
    }

    /** Extra delay of a packet picked for reordering, so that later packets overtake it. */
    public long reorderDelayNanos() {
        return reorderDelayNanos;
    }

    public long seed() {
        return seed;
    }

    /** A fresh loss model; each direction needs its own because Gilbert-Elliott has state. */
    public LossModel newLossModel() {
        if (burstLoss != null) {
            return new GilbertElliottLoss(burstLoss);
        }
        return lossProbability > 0 ? new BernoulliLoss(lossProbability) : LossModel.none();
    }

    /**
     * Independent, reproducible random streams for the two directions: the same seed gives the
     * same decisions for the same packet arrival order.
     */
    SplittableRandom[] directionRandoms() {
        SplittableRandom root = new SplittableRandom(seed);
        return new SplittableRandom[] {root.split(), root.split()};
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.delayNanos = delayNanos;
        b.jitterNanos = jitterNanos;
        b.rateBitsPerSecond = rateBitsPerSecond;
        b.queueBytes = explicitQueueBytes;
        b.lossProbability = lossProbability;
        b.burstLoss = burstLoss;
        b.duplicateProbability = duplicateProbability;
        b.reorderProbability = reorderProbability;
        b.reorderDelayNanos = reorderDelayNanos;
        b.seed = seed;
        return b;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        s.append("delay=").append(Units.formatDuration(delayNanos));
        s.append(" jitter=").append(Units.formatDuration(jitterNanos));
        if (burstLoss != null) {
            s.append(" loss=burst(").append(burstLoss.goodToBad()).append(',').append(burstLoss.badToGood())
                    .append(',').append(burstLoss.lossInBad()).append(") good-state-loss=")
                    .append(Units.formatPercent(lossProbability))
                    .append(" mean-loss=").append(Units.formatPercent(burstLoss.meanLossRate()));
        } else {
            s.append(" loss=").append(Units.formatPercent(lossProbability));
        }
        if (isRateLimited()) {
            s.append(" rate=").append(Units.formatRate(rateBitsPerSecond));
            s.append(" queue=").append(queueBytes()).append("B").append(hasExplicitQueue() ? "" : "(bdp)");
        } else {
            s.append(" rate=unlimited");
        }
        s.append(" duplicate=").append(Units.formatPercent(duplicateProbability));
        s.append(" reorder=").append(Units.formatPercent(reorderProbability));
        if (reorderProbability > 0) {
            s.append(" reorder-delay=").append(Units.formatDuration(reorderDelayNanos));
        }
        s.append(" seed=").append(seed);
        return s.toString();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof LinkProfile)) {
            return false;
        }
        LinkProfile p = (LinkProfile) o;
        return delayNanos == p.delayNanos && jitterNanos == p.jitterNanos
                && rateBitsPerSecond == p.rateBitsPerSecond && explicitQueueBytes == p.explicitQueueBytes
                && lossProbability == p.lossProbability && Objects.equals(burstLoss, p.burstLoss)
                && duplicateProbability == p.duplicateProbability && reorderProbability == p.reorderProbability
                && reorderDelayNanos == p.reorderDelayNanos && seed == p.seed;
    }

    @Override
    public int hashCode() {
        return Objects.hash(delayNanos, jitterNanos, rateBitsPerSecond, explicitQueueBytes, lossProbability,
                burstLoss, duplicateProbability, reorderProbability, reorderDelayNanos, seed);
    }

    /** Collects and validates the parameters; every field starts at its {@link LinkDefaults} value. */
    public static final class Builder {
        private long delayNanos = LinkDefaults.DELAY_NANOS;
        private long jitterNanos = LinkDefaults.JITTER_NANOS;
        private long rateBitsPerSecond = LinkDefaults.RATE_UNLIMITED;
        private long queueBytes;
        private double lossProbability;
        private GilbertElliottLoss.Parameters burstLoss;
        private double duplicateProbability;
        private double reorderProbability;
        private long reorderDelayNanos = LinkDefaults.REORDER_DELAY_NANOS;
        /** Unseeded runs still get a concrete seed, logged at start, so any run can be replayed. */
        private long seed = new SplittableRandom().nextLong();

        private Builder() {
        }

        public Builder delayNanos(long nanos) {
            this.delayNanos = requireNonNegative("delay", nanos);
            return this;
        }

        public Builder delayMillis(long millis) {
            return delayNanos(millis * 1_000_000);
        }

        public Builder jitterNanos(long nanos) {
            this.jitterNanos = requireNonNegative("jitter", nanos);
            return this;
        }

        public Builder rateBitsPerSecond(long bitsPerSecond) {
            this.rateBitsPerSecond = requireNonNegative("rate", bitsPerSecond);
            return this;
        }

        /** Queue size in bytes; 0 means one bandwidth-delay product (see {@link LinkProfile#queueBytes()}). */
        public Builder queueBytes(long bytes) {
            this.queueBytes = requireNonNegative("queue", bytes);
            return this;
        }

        public Builder lossProbability(double probability) {
            this.lossProbability = requireProbability("loss", probability);
            return this;
        }

        public Builder burstLoss(GilbertElliottLoss.Parameters parameters) {
            this.burstLoss = parameters;
            return this;
        }

        public Builder duplicateProbability(double probability) {
            this.duplicateProbability = requireProbability("duplicate", probability);
            return this;
        }

        public Builder reorderProbability(double probability) {
            this.reorderProbability = requireProbability("reorder", probability);
            return this;
        }

        public Builder reorderDelayNanos(long nanos) {
            this.reorderDelayNanos = requireNonNegative("reorder-delay", nanos);
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public LinkProfile build() {
            if (burstLoss != null && lossProbability > 0) {
                // --loss together with --loss-burst sets the good-state loss of the chain.
                burstLoss = new GilbertElliottLoss.Parameters(burstLoss.goodToBad(), burstLoss.badToGood(),
                        burstLoss.lossInBad(), lossProbability);
            }
            return new LinkProfile(this);
        }

        private static long requireNonNegative(String name, long value) {
            if (value < 0) {
                throw new IllegalArgumentException(name + " must not be negative, got " + value);
            }
            return value;
        }

        private static double requireProbability(String name, double value) {
            if (!(value >= 0 && value <= 1)) {
                throw new IllegalArgumentException(name + " must be a probability in [0, 1], got " + value);
            }
            return value;
        }
    }
}
