package io.skyhaul.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.skyhaul.transport.session.TransportCounters;

/**
 * The appliance's metrics, served as Prometheus text at {@code /metrics}: transfers by outcome,
 * bytes moved, goodput, retransmissions, datagrams the node dropped (forged, replayed, malformed
 * ...) and storage errors.
 */
public final class Metrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final DistributionSummary goodput;

    public Metrics() {
        // No base unit: the name says it, and Prometheus would append it again (skyhaul_transfer_goodput_mbps_megabits_per_second).
        this.goodput = DistributionSummary.builder("skyhaul_transfer_goodput_mbps").description("End-to-end goodput of finished transfers, Mbit/s")
                .register(registry);
    }

    public void transferFinished(String direction, String outcome, long bytes, long retransmittedBytes, Double goodputMbps) {
        Counter.builder("skyhaul_transfers").description("Finished transfers by direction and outcome").tag("direction", direction)
                .tag("outcome", outcome).register(registry).increment();
        Counter.builder("skyhaul_transfer_bytes").description("File bytes moved by finished transfers").baseUnit("bytes")
                .tag("direction", direction).register(registry).increment(bytes);
        Counter.builder("skyhaul_retransmitted_bytes").description("DATA bytes sent again after a loss").baseUnit("bytes")
                .register(registry).increment(retransmittedBytes);
        if (goodputMbps != null) {
            goodput.record(goodputMbps);
        }
    }

    public void storageError(io.skyhaul.storage.StorageError error) {
        String kind = error.name().toLowerCase(java.util.Locale.ROOT);
        Counter.builder("skyhaul_storage_errors").description("Failed storage operations by error").tag("error", kind).register(registry).increment();
    }

    /** Exposes the node's dropped-datagram counters. */
    public void watchNode(TransportCounters counters) {
        Gauge.builder("skyhaul_dropped_datagrams", counters, c -> c.forged.sum()).tag("reason", "forged").register(registry);
        Gauge.builder("skyhaul_dropped_datagrams", counters, c -> c.replayed.sum()).tag("reason", "replayed").register(registry);
        Gauge.builder("skyhaul_dropped_datagrams", counters, c -> c.malformed.sum()).tag("reason", "malformed").register(registry);
        Gauge.builder("skyhaul_dropped_datagrams", counters, c -> c.oversized.sum()).tag("reason", "oversized").register(registry);
        Gauge.builder("skyhaul_dropped_datagrams", counters, c -> c.unknownSession.sum()).tag("reason", "unknown-session").register(registry);
        Gauge.builder("skyhaul_dropped_datagrams", counters, c -> c.badTicket.sum()).tag("reason", "bad-ticket").register(registry);
        Gauge.builder("skyhaul_dropped_datagrams", counters, c -> c.wrongAddress.sum()).tag("reason", "wrong-address").register(registry);
    }

    public String scrape() {
        return registry.scrape();
    }
}
