package io.skyhaul.linkem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LossModelTest {

    private static final int PACKETS = 20_000;

    @Test
    void bernoulliLossRateIsWithinStatisticalBounds() {
        double p = 0.05;
        BitSet lost = run(new BernoulliLoss(p), new SplittableRandom(1), PACKETS);
        double mean = PACKETS * p;
        double sigma = Math.sqrt(PACKETS * p * (1 - p));
        assertTrue(Math.abs(lost.cardinality() - mean) < 5 * sigma,
                "lost " + lost.cardinality() + ", expected " + mean + " ± " + 5 * sigma);
    }

    @Test
    void bernoulliLossesAreNotClustered() {
        BitSet lost = run(new BernoulliLoss(0.05), new SplittableRandom(2), PACKETS);
        assertTrue(meanBurstLength(lost) < 1.2, "mean burst " + meanBurstLength(lost));
    }

    @Test
    void zeroLossNeverDrops() {
        assertEquals(0, run(new BernoulliLoss(0), new SplittableRandom(3), PACKETS).cardinality());
        assertEquals(0, run(LossModel.none(), new SplittableRandom(3), PACKETS).cardinality());
    }

    @Test
    void gilbertElliottLosesInBurstsAtTheExpectedMeanRate() {
        GilbertElliottLoss.Parameters parameters = new GilbertElliottLoss.Parameters(0.01, 0.25, 1.0, 0);
        BitSet lost = run(new GilbertElliottLoss(parameters), new SplittableRandom(4), 100_000);
        double burst = meanBurstLength(lost);
        // Bad periods last 1 / 0.25 = 4 packets on average, and every packet in them is lost.
        assertTrue(burst > 3 && burst < 5, "mean burst length " + burst);
        double rate = lost.cardinality() / 100_000.0;
        assertEquals(parameters.meanLossRate(), rate, 0.01, "long-run loss rate");
    }

    @Test
    void partialLossInTheBadStateStillClusters() {
        BitSet lost = run(new GilbertElliottLoss(new GilbertElliottLoss.Parameters(0.005, 0.1, 0.7, 0)),
                new SplittableRandom(5), 100_000);
        assertTrue(meanBurstLength(lost) > 1.5, "mean burst length " + meanBurstLength(lost));
    }

    @Test
    void sameSeedGivesTheSameLosses() {
        GilbertElliottLoss.Parameters parameters = new GilbertElliottLoss.Parameters(0.02, 0.3, 0.9, 0.001);
        assertEquals(run(new GilbertElliottLoss(parameters), new SplittableRandom(99), 5_000),
                run(new GilbertElliottLoss(parameters), new SplittableRandom(99), 5_000));
        assertFalse(run(new BernoulliLoss(0.1), new SplittableRandom(1), 5_000)
                .equals(run(new BernoulliLoss(0.1), new SplittableRandom(2), 5_000)));
    }

    private static BitSet run(LossModel model, SplittableRandom random, int packets) {
        BitSet lost = new BitSet(packets);
        for (int i = 0; i < packets; i++) {
            if (model.drop(random)) {
                lost.set(i);
            }
        }
        return lost;
    }

    private static double meanBurstLength(BitSet lost) {
        int bursts = 0;
        for (int i = lost.nextSetBit(0); i >= 0; i = lost.nextSetBit(lost.nextClearBit(i))) {
            bursts++;
        }
        return bursts == 0 ? 0 : (double) lost.cardinality() / bursts;
    }
}
