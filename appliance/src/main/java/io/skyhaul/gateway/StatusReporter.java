package io.skyhaul.gateway;

import io.skyhaul.client.ManagerClient;
import io.skyhaul.gateways.GatewayMessages;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the manager how the gateway is doing (hot folders, spool, transfers, refusals) every few
 * seconds, and at once when something a person waits for changed, such as a file a rule refused.
 * Reports while the gateway is not connected are skipped, not queued: the next one says it all.
 */
final class StatusReporter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatusReporter.class);

    private final ManagerAccess access;
    private final Supplier<GatewayMessages.Status> status;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "skyhaul-gateway-status");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean soon = new AtomicBoolean();
    private volatile boolean failing;

    StatusReporter(ManagerAccess access, Supplier<GatewayMessages.Status> status, Duration every) {
        this.access = access;
        this.status = status;
        timer.scheduleWithFixedDelay(this::report, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Reports as soon as possible (several calls close together make one report). */
    void reportNow() {
        if (soon.compareAndSet(false, true)) {
            timer.schedule(() -> {
                soon.set(false);
                report();
            }, 100, TimeUnit.MILLISECONDS);
        }
    }

    private void report() {
        ManagerClient manager = access.current().orElse(null);
        if (manager == null) {
            return;
        }
        try {
            manager.post("gateway/status", status.get());
            if (failing) {
                LOG.info("gateway status reports reach the manager again");
                failing = false;
            }
        } catch (ManagerClient.ManagerException e) {
            if (!failing) {
                LOG.warn("gateway status report not delivered: {}", e.getMessage());
                failing = true;
            }
        } catch (RuntimeException e) {
            LOG.warn("gateway status report failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
