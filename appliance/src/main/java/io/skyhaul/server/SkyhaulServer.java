package io.skyhaul.server;

import io.skyhaul.accounts.AccountRequest;
import io.skyhaul.accounts.AccountService;
import io.skyhaul.audit.AuditLog;
import io.skyhaul.auth.LoginThrottle;
import io.skyhaul.auth.PasswordHasher;
import io.skyhaul.auth.Principal;
import io.skyhaul.auth.Secrets;
import io.skyhaul.auth.UserService;
import io.skyhaul.auth.UserStore;
import io.skyhaul.config.ServeConfig;
import io.skyhaul.db.Database;
import io.skyhaul.http.ApiServer;
import io.skyhaul.http.AuthFilter;
import io.skyhaul.http.ConsoleModule;
import io.skyhaul.http.OpsServlet;
import io.skyhaul.http.resources.AccountsResource;
import io.skyhaul.http.resources.AuditResource;
import io.skyhaul.gateway.GatewayAgent;
import io.skyhaul.gateways.GatewayActivations;
import io.skyhaul.gateways.GatewayCommands;
import io.skyhaul.gateways.GatewayRegistry;
import io.skyhaul.gateways.GatewayService;
import io.skyhaul.http.resources.AuthResource;
import io.skyhaul.http.resources.GatewayChannelResource;
import io.skyhaul.http.resources.GatewaysResource;
import io.skyhaul.http.resources.NodesResource;
import io.skyhaul.http.resources.OpenApiResource;
import io.skyhaul.http.resources.PartnerTokensResource;
import io.skyhaul.http.resources.TransfersResource;
import io.skyhaul.http.resources.UsersResource;
import io.skyhaul.metrics.Metrics;
import io.skyhaul.http.resources.NodeChannelResource;
import io.skyhaul.http.resources.NodeKeysResource;
import io.skyhaul.node.NodeAgent;
import io.skyhaul.node.NodeWorker;
import io.skyhaul.node.RemoteNode;
import io.skyhaul.nodes.LocalNodeLink;
import io.skyhaul.nodes.NodeKeys;
import io.skyhaul.nodes.NodeRegistry;
import io.skyhaul.partners.PartnerTokenService;
import io.skyhaul.transfers.TransferService;
import io.skyhaul.transport.session.TransportSettings;
import io.skyhaul.vault.MasterKey;
import io.skyhaul.vault.SecretBox;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole appliance, wired with {@code new} in one place: reading {@link #start} tells what
 * runs. Manager and node in one process is the embedded default; the manager alone also works
 * (it has no node to allocate until a node-only process registers over the node channel), and a
 * node alone ({@link RemoteNode}) registers with a manager elsewhere, and a gateway
 * ({@link GatewayAgent}) connects to its manager, elsewhere or in this process.
 */
public final class SkyhaulServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SkyhaulServer.class);
    public static final String ADMIN_PASSWORD_ENV = "SKYHAUL_ADMIN_PASSWORD";
    /** The storage target of the embedded default: {@code local://local/inbox/} under the data directory. */
    public static final String LOCAL_ACCOUNT = "local";
    public static final String LOCAL_BUCKET = "inbox";
    static final long HEARTBEAT_SECONDS = 5;

    private final Deque<AutoCloseable> closeables = new ArrayDeque<>();
    private ApiServer api;
    private NodeAgent node;
    private RemoteNode remoteNode;
    private GatewayAgent gateway;
    private Optional<String> generatedAdminPassword = Optional.empty();
    private Optional<String> consolePath = Optional.empty();

    private SkyhaulServer() {
    }

    /** Starts every role of the configuration; on failure, stops what had started and rethrows. */
    public static SkyhaulServer start(ServeConfig config, Map<String, String> env) throws Exception {
        SkyhaulServer s = new SkyhaulServer();
        try {
            s.run(config, env);
            return s;
        } catch (Exception | Error e) {
            s.close();
            throw e;
        }
    }

    private void run(ServeConfig config, Map<String, String> env) throws Exception {
        if (config.runs(ServeConfig.Role.MANAGER)) {
            runManager(config, env);
        } else if (config.runs(ServeConfig.Role.NODE)) {
            remoteNode = RemoteNode.start(config.data().toAbsolutePath().normalize(), config.node(), config.manager(),
                    config.http().insecureHttp(), env, TransportSettings.defaults());
            closeables.push(remoteNode);
        }
        if (config.runs(ServeConfig.Role.GATEWAY)) {
            java.net.URI manager = config.manager().url() != null ? config.manager().url() : java.net.URI.create(api.baseUrl());
            if ("http".equals(manager.getScheme()) && !config.http().insecureHttp() && !io.skyhaul.config.ConfigLoader.isLoopback(manager.getHost())) {
                throw new IllegalArgumentException("manager.url: " + manager + " is plain HTTP to a manager that is not on loopback: the gateway key and"
                        + " its files' credentials would cross the network in clear; use https://, or pass --insecure-http to accept it");
            }
            gateway = GatewayAgent.start(config.data().toAbsolutePath().normalize().resolve("gateway"), config.gateway(), manager,
                    config.http().insecureHttp(), TransportSettings.defaults());
            closeables.push(gateway);
        }
    }

    private void runManager(ServeConfig config, Map<String, String> env) throws Exception {
        Clock clock = Clock.systemUTC();
        SecureRandom random = new SecureRandom();
        Path data = config.data().toAbsolutePath().normalize();
        Files.createDirectories(data);
        Database database = Database.open(data);
        Secrets secrets = new Secrets(random);
        AuditLog audit = new AuditLog(database.jdbi(), clock);
        UserService users = new UserService(new UserStore(database.jdbi()), new PasswordHasher(random), secrets, new LoginThrottle(clock), audit, clock);
        String givenPassword = env.get(ADMIN_PASSWORD_ENV);
        generatedAdminPassword = users.bootstrapAdmin(givenPassword).filter(p -> !p.equals(givenPassword));
        SecretBox box = new SecretBox(MasterKey.load(env.get(MasterKey.ENV), data, random), random);
        AccountService accounts = new AccountService(database.jdbi(), box, secrets, audit, clock);
        bootstrapLocalAccount(accounts, data);
        PartnerTokenService partners = new PartnerTokenService(database.jdbi(), accounts, secrets, audit, clock);
        NodeKeys nodeKeys = new NodeKeys(database.jdbi(), secrets, audit, clock);
        NodeRegistry registry = new NodeRegistry(database.jdbi(), audit, clock, box, random, nodeKeys);
        int stored = registry.loadStoredKeys();
        if (stored > 0) {
            LOG.info("{} remote node(s) known; they are allocated again once they register with this manager", stored);
        }
        GatewayRegistry gatewayRegistry = new GatewayRegistry(database.jdbi(), audit, clock);
        GatewayService gateways = new GatewayService(gatewayRegistry,
                new GatewayActivations(database.jdbi(), gatewayRegistry, secrets, audit, random, clock, Duration.ofSeconds(config.gatewayCodeSeconds())),
                new GatewayCommands(database.jdbi(), gatewayRegistry, audit, clock));
        Metrics metrics = new Metrics();
        TransferService transfers = new TransferService(database.jdbi(), accounts, partners, registry, secrets, metrics, clock);
        closeables.push(transfers);

        String nodeId = null;
        NodeWorker worker = null;
        if (config.runs(ServeConfig.Role.NODE)) {
            node = NodeAgent.start(data.resolve("node"), new InetSocketAddress(config.node().host(), config.node().udpPort()),
                    config.node().publicAddress(), TransportSettings.defaults());
            closeables.push(node);
            metrics.watchNode(node.transport().counters());
            // A node's row id is its name (NodeRegistry inserts it so), which the worker's reports need before registering.
            nodeId = config.node().name();
            worker = new NodeWorker(node, transfers.reportsFrom(nodeId));
            closeables.push(worker);
            String registered = registry.registerLocal(config.node().name(), node.publicAddress(), config.node().maxSessions(), node.sealer(),
                    new LocalNodeLink(worker));
            if (!registered.equals(nodeId)) {
                throw new IllegalStateException("node '" + nodeId + "' is registered under the id " + registered);
            }
        }
        if (nodeId != null) {
            int interrupted = transfers.failInterrupted(nodeId);
            if (interrupted > 0) {
                LOG.warn("{} transfer(s) were open on node '{}' when it stopped: marked failed", interrupted, config.node().name());
            }
        }

        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "skyhaul-timers");
            t.setDaemon(true);
            return t;
        });
        closeables.push(timers::shutdownNow);
        if (nodeId != null) {
            String id = nodeId;
            NodeWorker local = worker;
            timers.scheduleAtFixedRate(() -> guarded("heartbeat", () -> {
                NodeWorker.Load load = local.load();
                registry.heartbeat(id, load.sessions(), load.throughputBps(), load.cpuLoad());
            }), 0, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
        }
        timers.scheduleAtFixedRate(() -> guarded("silent nodes", () -> failOnSilentNodes(registry, transfers)), HEARTBEAT_SECONDS,
                HEARTBEAT_SECONDS, TimeUnit.SECONDS);
        timers.scheduleAtFixedRate(() -> guarded("expiry", transfers::expireStale), 60, 60, TimeUnit.SECONDS);

        List<Object> resources = List.of(new AuthFilter(users, partners, nodeKeys, gatewayRegistry), new AuthResource(users), new UsersResource(users),
                new AccountsResource(accounts), new PartnerTokensResource(partners), new NodesResource(registry), new AuditResource(audit),
                new NodeKeysResource(nodeKeys), new NodeChannelResource(registry, transfers),
                new TransfersResource(transfers), new io.skyhaul.http.resources.ObjectsResource(accounts, partners, audit), new OpenApiResource(),
                new GatewaysResource(gateways), new GatewayChannelResource(gateways));
        Optional<ConsoleModule> console = ConsoleModule.find();
        Map<String, jakarta.servlet.http.HttpServlet> consoleServlets = console.map(c -> c.servlets(
                new ConsoleModule.Context(users, accounts, partners, registry, transfers, audit, gateways, config.http().tls() != null))).orElse(Map.of());
        api = new ApiServer(config.http(), resources, new OpsServlet(database, () -> true, metrics), consoleServlets);
        api.start();
        closeables.push(api);
        consolePath = console.map(ConsoleModule::startPath);
        LOG.info("manager ready: api {}{}{}, data {}", api.baseUrl() + ApiServer.API_PATH,
                consolePath.map(p -> ", console " + api.baseUrl() + p).orElse(", no console (webui not on the class path)"),
                node == null ? "" : ", node '" + config.node().name() + "' on udp " + node.publicAddress(), data);
    }

    /**
     * Nodes silent past the heartbeat timeout: disconnected, and the transfers they had open
     * failed (their uploads aborted). The node inside this process is alive while the process is.
     */
    private static void failOnSilentNodes(NodeRegistry registry, TransferService transfers) {
        registry.disconnectSilent();
        for (var n : registry.list()) {
            if (!n.healthy() && !registry.runsHere(n.id())) {
                transfers.failOnSilentNode(n.id());
            }
        }
    }

    private static void guarded(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.warn("{} failed: {}", what, e.toString());
        }
    }

    /** On a fresh database: the embedded default's storage target, a directory under the data directory. */
    private static void bootstrapLocalAccount(AccountService accounts, Path data) throws java.io.IOException {
        if (!accounts.list().isEmpty()) {
            return;
        }
        Path root = data.resolve("storage");
        Files.createDirectories(root.resolve(LOCAL_BUCKET));
        accounts.create(Principal.user("system", "system", io.skyhaul.auth.Role.ADMIN), new AccountRequest(LOCAL_ACCOUNT,
                AccountRequest.AccountKind.LOCAL, null, null, new AccountRequest.LocalFields(root.toString())));
    }

    /** The API's base URL; null in a node-only process, which serves no API. */
    public String baseUrl() {
        return api == null ? null : api.baseUrl();
    }

    /** The admin console's URL, when the console is on the class path. */
    public Optional<String> consoleUrl() {
        return consolePath.map(p -> api.baseUrl() + p);
    }

    public Optional<InetSocketAddress> udpAddress() {
        if (remoteNode != null) {
            return Optional.of(remoteNode.udpAddress());
        }
        return node == null ? Optional.empty() : Optional.of(node.udpAddress());
    }

    /** The manager a node-only process registers with; empty in a process that runs the manager. */
    public Optional<String> managerUrl() {
        return remoteNode == null ? Optional.empty() : Optional.of(remoteNode.managerUrl());
    }

    /** The gateway role of this process, if it runs one. */
    public Optional<GatewayAgent> gateway() {
        return Optional.ofNullable(gateway);
    }

    /** The admin password generated on first start, to be shown once. */
    public Optional<String> generatedAdminPassword() {
        return generatedAdminPassword;
    }

    @Override
    public void close() {
        while (!closeables.isEmpty()) {
            try {
                closeables.pop().close();
            } catch (Exception e) {
                LOG.warn("while stopping: {}", e.toString());
            }
        }
    }
}
