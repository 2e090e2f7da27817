package io.skyhaul.gateway;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a file a rule refused is told: the gateway's state (its local API lists them), the log,
 * and at once the manager (its console shows them with the gateway).
 */
final class Refusals {
    private static final Logger LOG = LoggerFactory.getLogger(Refusals.class);

    private final GatewayState state;
    private final Runnable reportNow;

    Refusals(GatewayState state, Runnable reportNow) {
        this.state = state;
        this.reportNow = reportNow;
    }

    void refused(String source, String file, String rule, String reason) {
        state.refused(source, file, rule, reason);
        LOG.warn("{}: refused {} ({}): {}", source, file, rule, reason);
        reportNow.run();
    }
}
