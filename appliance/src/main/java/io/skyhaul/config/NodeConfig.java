package io.skyhaul.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

/**
 * The node role: where its UDP data port listens and what the manager tells clients to use.
 *
 * @param name the node's name in the registry
 * @param host address the UDP port binds to
 * @param udpPort UDP port, 0 for any free port
 * @param publicAddress HOST:PORT clients are sent to, when it differs from the bound address (NAT, load balancer)
 * @param maxSessions sessions this node accepts at once before the manager allocates elsewhere
 */
public record NodeConfig(
        @NotBlank @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,62}", message = "must be 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit") String name,
        @NotBlank String host,
        @Min(0) @Max(65535) Integer udpPort,
        @Pattern(regexp = "[^\\s:]+:[0-9]{1,5}|\\[[0-9a-fA-F:]+\\]:[0-9]{1,5}", message = "must be HOST:PORT") String publicAddress,
        @Min(1) @Max(100000) Integer maxSessions) {
    public static final int DEFAULT_UDP_PORT = 7400;

    public NodeConfig {
        name = name == null ? "local" : name;
        host = host == null ? "127.0.0.1" : host;
        udpPort = udpPort == null ? DEFAULT_UDP_PORT : udpPort;
        maxSessions = maxSessions == null ? 64 : maxSessions;
    }

    public static NodeConfig defaults() {
        return new NodeConfig(null, null, null, null, null);
    }

    public NodeConfig withUdpPort(int port) {
        return new NodeConfig(name, host, port, publicAddress, maxSessions);
    }
}
