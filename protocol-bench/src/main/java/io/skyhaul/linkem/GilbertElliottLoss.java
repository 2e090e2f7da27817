package io.skyhaul.linkem;

import java.util.SplittableRandom;

/**
 * Bursty loss: a two-state Markov chain (Gilbert-Elliott). In the good state packets are lost
 * with {@code lossInGood} (usually 0), in the bad state with {@code lossInBad} (usually 1).
 * After each packet the chain moves good to bad with {@code goodToBad} and bad to good with
 * {@code badToGood}, so a bad period lasts {@code 1 / badToGood} packets on average.
 *
 * <p>Real long-haul links lose packets in bursts (a fading radio hop, a congested peering
 * point); a transfer protocol that copes with 1% independent loss may still stall when the same
 * 1% arrives ten packets at a time, which is why this model exists.
 */
public final class GilbertElliottLoss implements LossModel {

    /**
     * The chain's parameters, all probabilities in [0, 1].
     *
     * @param goodToBad  chance per packet of entering the bad state
     * @param badToGood  chance per packet of leaving the bad state; must be above 0, or the link
     *                   would stay bad forever
     * @param lossInBad  loss probability in the bad state
     * @param lossInGood loss probability in the good state
     */
    public record Parameters(double goodToBad, double badToGood, double lossInBad, double lossInGood) {
        public Parameters {
            requireProbability("P_GOOD_TO_BAD", goodToBad);
            requireProbability("P_BAD_TO_GOOD", badToGood);
            requireProbability("LOSS_IN_BAD", lossInBad);
            requireProbability("loss in good state", lossInGood);
            if (badToGood == 0) {
                throw new IllegalArgumentException("P_BAD_TO_GOOD must be above 0, or the link never leaves the bad state");
            }
        }

        /** Long-run fraction of packets lost, for documentation and logs. */
        public double meanLossRate() {
            double badShare = goodToBad / (goodToBad + badToGood);
            return badShare * lossInBad + (1 - badShare) * lossInGood;
        }

        private static void requireProbability(String name, double value) {
            if (!(value >= 0 && value <= 1)) {
                throw new IllegalArgumentException(name + " must be in [0, 1], got " + value);
            }
        }
    }

    private final Parameters parameters;
    private boolean bad;

    public GilbertElliottLoss(Parameters parameters) {
        this.parameters = parameters;
    }

    @Override
    public boolean drop(SplittableRandom random) {
        double lossProbability = bad ? parameters.lossInBad() : parameters.lossInGood();
        boolean lost = lossProbability > 0 && random.nextDouble() < lossProbability;
        if (bad) {
            bad = random.nextDouble() >= parameters.badToGood();
        } else {
            bad = random.nextDouble() < parameters.goodToBad();
        }
        return lost;
    }

    @Override
    public String toString() {
        return "gilbert-elliott" + parameters;
    }
}
