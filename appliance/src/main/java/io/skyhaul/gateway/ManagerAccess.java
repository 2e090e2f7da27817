package io.skyhaul.gateway;

import io.skyhaul.client.ManagerClient;
import java.util.Optional;

/**
 * The gateway's authenticated client for its manager, once it has one. Work that needs the
 * manager (uploads, reports) waits here while the gateway is not activated, or after it was
 * deactivated, rather than failing: files wait on the gateway's disk, nothing is dropped.
 */
final class ManagerAccess {
    private ManagerClient client;
    private String name;

    synchronized void connect(ManagerClient c, String gatewayName) {
        client = c;
        name = gatewayName;
        notifyAll();
    }

    synchronized void disconnect() {
        client = null;
        name = null;
    }

    synchronized Optional<ManagerClient> current() {
        return Optional.ofNullable(client);
    }

    synchronized Optional<String> gatewayName() {
        return Optional.ofNullable(name);
    }

    /** The client, waiting for an activation as long as needed (interrupted on close). */
    synchronized ManagerClient await() throws InterruptedException {
        while (client == null) {
            wait();
        }
        return client;
    }
}
