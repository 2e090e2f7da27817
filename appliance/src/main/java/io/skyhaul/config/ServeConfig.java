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
 * @param manager how a node-only process reaches its manager
 */
public record ServeConfig(
        @NotEmpty Set<@NotNull Role> roles,
        @NotNull Path data,
        @NotNull @Valid HttpConfig http,
        @NotNull @Valid NodeConfig node,
        @NotNull @Valid ManagerLink manager) {

    public enum Role {
        @JsonProperty("manager") MANAGER,
        @JsonProperty("node") NODE
    }

    public ServeConfig {
        roles = roles == null ? Set.of(Role.MANAGER, Role.NODE) : Set.copyOf(roles);
        data = data == null ? Path.of("data") : data;
        http = http == null ? HttpConfig.defaults() : http;
        node = node == null ? NodeConfig.defaults() : node;
        manager = manager == null ? ManagerLink.none() : manager;
    }

    public static ServeConfig defaults() {
        return new ServeConfig(null, null, null, null, null);
    }

    public boolean runs(Role role) {
        return roles.contains(role);
    }

    public ServeConfig withData(Path newData) {
        return new ServeConfig(roles, newData, http, node, manager);
    }

    public ServeConfig withHttp(HttpConfig newHttp) {
        return new ServeConfig(roles, data, newHttp, node, manager);
    }

    public ServeConfig withNode(NodeConfig newNode) {
        return new ServeConfig(roles, data, http, newNode, manager);
    }
}
