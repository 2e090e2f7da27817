package io.skyhaul.config;

import java.net.URI;

/**
 * How a node-only process reaches its manager: the manager's URL and the node key an admin
 * issued for it. Unused when the manager runs in the same process.
 *
 * @param url the manager's base URL, e.g. https://manager.example.com:8080
 * @param nodeKeyFile file holding the node key (0600); without it, the key is read from {@code SKYHAUL_NODE_KEY}
 */
public record ManagerLink(URI url, java.nio.file.Path nodeKeyFile) {
    public static ManagerLink none() {
        return new ManagerLink(null, null);
    }
}
