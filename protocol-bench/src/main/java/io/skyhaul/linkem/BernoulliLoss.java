package io.skyhaul.linkem;

import java.util.SplittableRandom;

/**
 * Independent random loss: every packet is lost with the same probability, regardless of what
 * happened to the packets before it. This is what {@code --loss} gives on its own.
 */
public final class BernoulliLoss implements LossModel {

    private final double probability;

    /** @param probability chance that any one packet is lost, in [0, 1] */
    public BernoulliLoss(double probability) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("loss probability must be in [0, 1], got " + probability);
        }
        this.probability = probability;
    }

    @Override
    public boolean drop(SplittableRandom random) {
        return probability > 0 && random.nextDouble() < probability;
    }

    @Override
    public String toString() {
        return "bernoulli(" + probability + ")";
    }
}
