package io.skyhaul.bench;

import java.util.Optional;

/**
 * Two Skyhaul sessions through one relay: each transfer's result, and their shares of the
 * bottleneck over the time both were running (from the senders' debug logs).
 */
record PairResult(String label, GridCase link, String policyA, String policyB, SkyhaulResult a, SkyhaulResult b, Optional<SenderProgress.Shares> shares) {
    /** The first part of the overlap left out of the shares: both sessions are still starting up. */
    static final double SETTLE_FRACTION = 0.1;

    boolean ok() {
        return a.ok() && b.ok();
    }
}
