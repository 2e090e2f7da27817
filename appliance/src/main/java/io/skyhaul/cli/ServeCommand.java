package io.skyhaul.cli;

import io.skyhaul.config.ConfigException;
import io.skyhaul.config.ConfigLoader;
import io.skyhaul.config.ServeConfig;
import io.skyhaul.server.SkyhaulServer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the appliance: the roles named in the config (default: manager and node"
        + " in one process, the embedded default), until stopped with Ctrl-C or SIGTERM.", footer = ExitCodes.HELP)
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration (skyhaul.yml); without it, the defaults.")
    Path config;

    @Option(names = "--data", paramLabel = "DIR", description = "Directory for the database, master key, spool and local storage (default ./data).")
    Path data;

    @Option(names = "--http-port", paramLabel = "PORT", description = "Port of the API and console (default 8080; 0 for any free port).")
    Integer httpPort;

    @Option(names = "--http-host", paramLabel = "HOST", description = "Address of the API and console (default 127.0.0.1).")
    String httpHost;

    @Option(names = "--udp-port", paramLabel = "PORT", description = "UDP data port of the node (default 7400; 0 for any free port).")
    Integer udpPort;

    @Option(names = "--insecure-http", description = "Allow plain HTTP on a non-loopback address (passwords and tokens would cross the network in clear).")
    boolean insecureHttp;

    @Override
    public Integer call() throws Exception {
        ConfigLoader loader = new ConfigLoader();
        ServeConfig effective;
        try {
            effective = loader.validate(overrides(loader.read(config)));
        } catch (ConfigException e) {
            System.err.println("skyhaul serve: configuration refused:\n  " + e.getMessage().replace("\n", "\n  "));
            return ExitCodes.USAGE;
        }
        SkyhaulServer server;
        try {
            server = SkyhaulServer.start(effective, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("skyhaul serve: " + e.getMessage());
            return ExitCodes.USAGE;
        } catch (Exception e) {
            System.err.println("skyhaul serve: cannot start: " + e.getMessage());
            return ExitCodes.LOCAL_IO;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "skyhaul-serve-shutdown"));
        System.out.println(banner(server, effective));
        System.out.flush();
        stopped.await();
        return ExitCodes.OK;
    }

    private ServeConfig overrides(ServeConfig c) {
        if (data != null) {
            c = c.withData(data);
        }
        if (httpPort != null) {
            c = c.withHttp(c.http().withPort(httpPort));
        }
        if (httpHost != null) {
            c = c.withHttp(c.http().withHost(httpHost));
        }
        if (insecureHttp) {
            c = c.withHttp(c.http().withInsecureHttp(true));
        }
        if (udpPort != null) {
            c = c.withNode(c.node().withUdpPort(udpPort));
        }
        return c;
    }

    static String banner(SkyhaulServer server, ServeConfig config) {
        StringBuilder b = new StringBuilder();
        b.append("Skyhaul is running (roles: ").append(config.roles().stream().map(r -> r.name().toLowerCase(java.util.Locale.ROOT)).sorted()
                .collect(java.util.stream.Collectors.joining(", "))).append(")\n");
        server.gateway().ifPresent(g -> b.append("  Gateway:  local API ").append(g.localApiUrl()).append("/api/v1 (token in ").append(g.localTokenFile())
                .append(")\n            manager ").append(g.managerUrl()).append(" (until activated there, the log shows the activation code)\n"));
        if (server.baseUrl() == null && server.managerUrl().isEmpty()) {
            b.append("  Data:     ").append(config.data().toAbsolutePath().normalize()).append('\n');
            return b.toString();
        }
        if (server.managerUrl().isPresent()) {
            b.append("  Node:     '").append(config.node().name()).append("', driven by the manager at ").append(server.managerUrl().get()).append('\n');
            server.udpAddress().ifPresent(a -> b.append("  UDP data: ").append(a.getHostString()).append(':').append(a.getPort()).append('\n'));
            b.append("  Data:     ").append(config.data().toAbsolutePath().normalize()).append('\n');
            return b.toString();
        }
        b.append("  API:      ").append(server.baseUrl()).append("/api/v1  (OpenAPI: ").append(server.baseUrl()).append("/api/v1/openapi.json)\n");
        server.consoleUrl().ifPresentOrElse(u -> b.append("  Console:  ").append(u).append('\n'),
                () -> b.append("  Console:  not installed (build the webui module to get it)\n"));
        b.append("  Health:   ").append(server.baseUrl()).append("/healthz\n");
        server.udpAddress().ifPresent(a -> b.append("  UDP data: ").append(a.getHostString()).append(':').append(a.getPort()).append('\n'));
        b.append("  Data:     ").append(config.data().toAbsolutePath().normalize()).append('\n');
        b.append("  Storage:  local://" + SkyhaulServer.LOCAL_ACCOUNT + "/" + SkyhaulServer.LOCAL_BUCKET + "/ (the embedded local target)\n");
        server.generatedAdminPassword().ifPresentOrElse(
                p -> b.append("  Sign in:  user 'admin', password ").append(p)
                        .append("\n            (shown once: note it now; set " + SkyhaulServer.ADMIN_PASSWORD_ENV + " before the first start to choose it)\n"),
                () -> b.append("  Sign in:  as an existing user (first start: user 'admin' with the password from " + SkyhaulServer.ADMIN_PASSWORD_ENV
                        + " or the one printed then)\n"));
        b.append("  Try:      bin/skyhaul login --server ").append(server.baseUrl()).append("\n            bin/skyhaul send FILE local://")
                .append(SkyhaulServer.LOCAL_ACCOUNT).append('/').append(SkyhaulServer.LOCAL_BUCKET).append("/\n");
        return b.toString();
    }
}
