package io.skyhaul.linkem;

/**
 * Counters of both directions of an emulated link.
 *
 * @param forward client to target for a {@link UdpRelay}, namespace A to B for a {@link TunLink}
 * @param reverse target to client, or B to A
 */
public record LinkStats(DirectionStats forward, DirectionStats reverse) {

    public LinkStats minus(LinkStats earlier) {
        return new LinkStats(forward.minus(earlier.forward), reverse.minus(earlier.reverse));
    }

    public String summary() {
        return forward.summary() + " | " + reverse.summary();
    }
}
