package io.skyhaul.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.nio.file.Path;
import java.util.List;

/**
 * The gateway role: an on-premise agent that opens every connection itself. It reaches its
 * manager at {@code manager.url}, serves its own small local API (spool uploads, status) on
 * {@code host:port}, watches its hot folders and uploads its spool.
 *
 * @param host address of the gateway's local API; a non-loopback address needs TLS or {@code --insecure-http}
 * @param port its TCP port (default 8090, so a manager on the same machine keeps 8080)
 * @param tls the local API's certificate; null for plain HTTP
 * @param hotFolders folders watched for new files
 * @param spool the upload buffer for files handed over through the local API or CLI
 * @param sharedRoots directories the manager may reach: the paths of its {@code transfer} commands and the hot folders it sets
 *     must lie inside one (none: such commands are refused)
 * @param statusSeconds how often the gateway reports its status to the manager
 */
public record GatewayConfig(
        @NotBlank String host,
        @Min(0) @Max(65535) Integer port,
        @Valid TlsConfig tls,
        @Size(max = 100) List<@NotNull @Valid HotFolderConfig> hotFolders,
        @NotNull @Valid SpoolConfig spool,
        @Size(max = 100) List<@NotNull Path> sharedRoots,
        @Min(1) @Max(300) Integer statusSeconds) {
    public static final int DEFAULT_PORT = 8090;

    public GatewayConfig {
        host = host == null ? "127.0.0.1" : host;
        port = port == null ? DEFAULT_PORT : port;
        hotFolders = hotFolders == null ? List.of() : List.copyOf(hotFolders);
        spool = spool == null ? SpoolConfig.defaults() : spool;
        sharedRoots = sharedRoots == null ? List.of() : List.copyOf(sharedRoots);
        statusSeconds = statusSeconds == null ? 5 : statusSeconds;
    }

    public static GatewayConfig defaults() {
        return new GatewayConfig(null, null, null, null, null, null, null);
    }

    /** The local API's listener, with the process's consent to plain HTTP on the network. */
    public HttpConfig listener(boolean insecureHttp) {
        return new HttpConfig(host, port, tls, insecureHttp);
    }

    public GatewayConfig withPort(int newPort) {
        return new GatewayConfig(host, newPort, tls, hotFolders, spool, sharedRoots, statusSeconds);
    }

    public GatewayConfig withHotFolders(List<HotFolderConfig> folders) {
        return new GatewayConfig(host, port, tls, folders, spool, sharedRoots, statusSeconds);
    }

    public GatewayConfig withSharedRoots(List<Path> roots) {
        return new GatewayConfig(host, port, tls, hotFolders, spool, roots, statusSeconds);
    }

    public GatewayConfig withSpool(SpoolConfig newSpool) {
        return new GatewayConfig(host, port, tls, hotFolders, newSpool, sharedRoots, statusSeconds);
    }
}
