package io.skyhaul.gateway;

import io.skyhaul.client.ManagerClient;
import io.skyhaul.config.GatewayConfig;
import io.skyhaul.gateway.local.LocalApiToken;
import io.skyhaul.gateway.local.LocalAuthFilter;
import io.skyhaul.gateway.local.LocalSpoolResource;
import io.skyhaul.gateway.local.LocalStatusResource;
import io.skyhaul.gateway.spool.Spool;
import io.skyhaul.gateway.spool.SpoolLimits;
import io.skyhaul.gateways.GatewayMessages;
import io.skyhaul.http.ApiServer;
import io.skyhaul.http.OpsServlet;
import io.skyhaul.metrics.Metrics;
import io.skyhaul.transport.session.TransportSettings;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway role, wired in one place: its identity and activation, the control link to its
 * manager, its hot folders, its spool, its status reports and its own small local API. It opens
 * every connection itself; nothing needs to reach it from outside the facility.
 */
public final class GatewayAgent implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayAgent.class);
    public static final String VERSION = io.skyhaul.server.BuildInfo.version();

    private final Deque<AutoCloseable> closeables = new ArrayDeque<>();
    private final String managerUrl;
    private GatewayIdentity identity;
    private GatewayState state;
    private LocalApiToken localToken;
    private final ManagerAccess access = new ManagerAccess();
    private Activation activation;
    private ControlLink link;
    private StatusReporter reporter;
    private Pause pause;
    private GatewayTransfers transfers;
    private HotFolderService hotFolders;
    private SpoolService spool;
    private ApiServer api;
    private Thread linkThread;
    private volatile boolean closed;

    private GatewayAgent(String managerUrl) {
        this.managerUrl = managerUrl;
    }

    /** Starts the gateway over {@code dir} (its state, identity and spool); it connects to {@code manager} in the background. */
    public static GatewayAgent start(Path dir, GatewayConfig config, URI manager, boolean insecureHttp, TransportSettings settings) throws Exception {
        GatewayAgent g = new GatewayAgent(manager.toString().replaceAll("/+$", ""));
        try {
            g.run(dir, config, insecureHttp, settings);
            return g;
        } catch (Exception | Error e) {
            g.close();
            throw e;
        }
    }

    private void run(Path dir, GatewayConfig config, boolean insecureHttp, TransportSettings settings) throws Exception {
        SecureRandom random = new SecureRandom();
        Clock clock = Clock.systemUTC();
        identity = GatewayIdentity.open(dir, random);
        state = GatewayState.open(dir, clock);
        localToken = LocalApiToken.loadOrCreate(dir, random);
        pause = new Pause(state);
        transfers = new GatewayTransfers(access, settings);
        reporter = new StatusReporter(access, this::status, Duration.ofSeconds(config.statusSeconds()));
        closeables.push(reporter);
        Refusals refusals = new Refusals(state, reporter::reportNow);
        hotFolders = new HotFolderService(state, new HotFileStore(state.jdbi(), clock), transfers, pause, refusals, clock);
        closeables.push(hotFolders);
        hotFolders.start(config.hotFolders());
        spool = new SpoolService(Spool.open(dir.resolve("spool"), SpoolLimits.defaults().withMaxBytes(config.spool().maxBytes())
                .withMaxFiles(config.spool().maxFiles()), clock), config.spool(), transfers, pause, refusals);
        closeables.push(spool);
        spool.start();
        link = new ControlLink(new CommandHandler(transfers, hotFolders, pause, new SharedRoots(config.sharedRoots()), reporter::reportNow,
                () -> access.gatewayName().orElse("unactivated")));
        closeables.push(link);
        activation = new Activation(managerUrl, identity, hostname(), VERSION);

        api = new ApiServer(config.listener(insecureHttp), List.of(new LocalAuthFilter(localToken), new LocalStatusResource(this),
                new LocalSpoolResource(this)),
                new OpsServlet(null, () -> true, new Metrics()));
        api.start();
        closeables.push(api);
        linkThread = new Thread(this::linkLoop, "skyhaul-gateway-link");
        linkThread.setDaemon(true);
        linkThread.start();
        LOG.info("gateway ready: local api {}{} (token in {}), manager {}, {} hot folder(s)", api.baseUrl(), ApiServer.API_PATH, localToken.file(),
                managerUrl, hotFolders.names().size());
    }

    /** Activation when needed, then the control link, until closed; a deactivated gateway asks to be activated again. */
    private void linkLoop() {
        Backoff trouble = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
        while (!closed) {
            try {
                GatewayIdentity.Credentials creds = identity.credentials().orElse(null);
                if (creds == null) {
                    creds = activation.await();
                }
                access.connect(new ManagerClient(managerUrl, creds.key()), creds.name());
                reporter.reportNow();
                link.run(access.current().orElseThrow(), creds.name());
            } catch (ControlLink.Revoked e) {
                LOG.warn("the manager no longer accepts this gateway's key ({}): it was deactivated; asking to be activated again", e.getMessage());
                access.disconnect();
                try {
                    identity.forgetCredentials();
                } catch (IOException io) {
                    LOG.error("cannot put the revoked credentials aside: {}", io.getMessage());
                    sleep(trouble);
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.error("gateway link: {}; trying again", e.toString());
                sleep(trouble);
            }
        }
    }

    private void sleep(Backoff b) {
        try {
            b.pause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What the gateway reports to its manager. */
    GatewayMessages.Status status() {
        return new GatewayMessages.Status(VERSION, pause.paused(), hotFolders.status(), spool.status(), transfers.active(), state.refusals(20),
                hotFolders.totalSent(), hotFolders.totalFailed());
    }

    /** The local view: the manager's view plus how the link stands. */
    public LocalStatus localStatus() {
        Optional<Activation.Waiting> w = activation.waiting();
        return new LocalStatus(access.gatewayName().orElse(null), access.current().isPresent(), link.connected(), link.problem(), managerUrl,
                w.map(Activation.Waiting::code).orElse(null), w.map(Activation.Waiting::expiresAt).orElse(null),
                w.map(Activation.Waiting::fingerprint).orElse(null), status());
    }

    /** The gateway's state as its local API shows it. */
    public record LocalStatus(String name, boolean activated, boolean connected, String problem, String manager, String activationCode,
            java.time.Instant activationCodeExpiresAt, String fingerprint, GatewayMessages.Status status) {
    }

    public SpoolService spool() {
        return spool;
    }

    public String localApiUrl() {
        return api.baseUrl();
    }

    public String managerUrl() {
        return managerUrl;
    }

    public Path localTokenFile() {
        return localToken.file();
    }

    private static String hostname() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "unknown";
        }
    }

    @Override
    public void close() {
        closed = true;
        if (linkThread != null) {
            linkThread.interrupt();
        }
        while (!closeables.isEmpty()) {
            try {
                closeables.pop().close();
            } catch (Exception e) {
                LOG.warn("while stopping the gateway: {}", e.toString());
            }
        }
    }
}
