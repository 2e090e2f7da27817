package io.skyhaul.linkem;

import java.util.SplittableRandom;

/**
 * Decides, packet by packet, whether the link loses a packet on ingress.
 *
 * <p>Implementations may keep state (Gilbert-Elliott remembers whether the channel is in its bad
 * state), so each direction of a link gets its own instance from {@link LinkProfile#newLossModel()}.
 * All randomness comes from the caller's generator so that a run is reproducible with
 * {@code --seed}. Not thread-safe: a direction calls it under its own lock.
 */
public interface LossModel {

    /** Returns true when the next packet is lost. */
    boolean drop(SplittableRandom random);

    /** A model that never loses a packet and draws no random numbers. */
    static LossModel none() {
        return random -> false;
    }
}
