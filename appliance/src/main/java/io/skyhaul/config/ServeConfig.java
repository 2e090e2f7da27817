package io.skyhaul.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.util.Set;

/**
 * Everything {@code skyhaul serve} needs, read from one YAML file ({@code --config}) and the
 * command-line overrides, validated before anything starts. Every field has a default a newcomer
 * can rely on, so an empty file (or none) is a valid configuration: manager and node in one
 * process on loopback, state under {@code ./data}.
 *
 * @param roles which roles this process runs
 * @param data directory for the database, the master key, the node's spool and the local storage
 * @param http the API and console listener
 * @param node the UDP data listener and how clients reach it
 * @param manager how a node-only process or a gateway reaches its manager
 * @param gateway the gateway role: its local API, hot folders and spool
 * @param gatewayCodeSeconds (manager) how long a gateway's activation code may be entered
 */
public record ServeConfig(
        @NotEmpty Set<@NotNull Role> roles,
        @NotNull Path data,
        @NotNull @Valid HttpConfig http,
        @NotNull @Valid NodeConfig node,
        @NotNull @Valid ManagerLink manager,
        @NotNull @Valid GatewayConfig gateway,
        @jakarta.validation.constraints.Min(10) @jakarta.validation.constraints.Max(86_400) Integer gatewayCodeSeconds) {

    public enum Role {
        @JsonProperty("manager") MANAGER,
        @JsonProperty("node") NODE,
        @JsonProperty("gateway") GATEWAY
    }

    public ServeConfig {
        roles = roles == null ? Set.of(Role.MANAGER, Role.NODE) : Set.copyOf(roles);
        data = data == null ? Path.of("data") : data;
        http = http == null ? HttpConfig.defaults() : http;
        node = node == null ? NodeConfig.defaults() : node;
        manager = manager == null ? ManagerLink.none() : manager;
        gateway = gateway == null ? GatewayConfig.defaults() : gateway;
        gatewayCodeSeconds = gatewayCodeSeconds == null ? 900 : gatewayCodeSeconds;
    }

    public static ServeConfig defaults() {
        return new ServeConfig(null, null, null, null, null, null, null);
    }

    public boolean runs(Role role) {
        return roles.contains(role);
    }

    public ServeConfig withData(Path newData) {
        return new ServeConfig(roles, newData, http, node, manager, gateway, gatewayCodeSeconds);
    }

    public ServeConfig withHttp(HttpConfig newHttp) {
        return new ServeConfig(roles, data, newHttp, node, manager, gateway, gatewayCodeSeconds);
    }

    public ServeConfig withNode(NodeConfig newNode) {
        return new ServeConfig(roles, data, http, newNode, manager, gateway, gatewayCodeSeconds);
    }

    public ServeConfig withGateway(GatewayConfig newGateway) {
        return new ServeConfig(roles, data, http, node, manager, newGateway, gatewayCodeSeconds);
    }

    public ServeConfig withRoles(Set<Role> newRoles) {
        return new ServeConfig(newRoles, data, http, node, manager, gateway, gatewayCodeSeconds);
    }

    public ServeConfig withManager(ManagerLink newManager) {
        return new ServeConfig(roles, data, http, node, newManager, gateway, gatewayCodeSeconds);
    }

    public ServeConfig withGatewayCodeSeconds(int seconds) {
        return new ServeConfig(roles, data, http, node, manager, gateway, seconds);
    }
}
