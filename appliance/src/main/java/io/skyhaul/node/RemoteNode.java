package io.skyhaul.node;

import io.skyhaul.config.ManagerLink;
import io.skyhaul.config.NodeConfig;
import io.skyhaul.transport.session.TransportSettings;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node-only process ({@code roles: [node]}): the UDP node and its {@link NodeWorker}, driven by
 * a manager elsewhere over the node channel. It registers with its node key (sending its public
 * UDP address and its ticket key), sends a heartbeat with its load every few seconds, long-polls
 * for tasks and posts its reports in order. When the manager no longer knows it (409: the manager
 * restarted, or thought the node dead), it gives up what it was doing and registers again.
 */
public final class RemoteNode implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteNode.class);
    /** The node key, when not in a file ({@code manager.nodeKeyFile}). */
    public static final String NODE_KEY_ENV = "SKYHAUL_NODE_KEY";
    /** How long one task poll waits on the manager's side. */
    static final Duration POLL_WAIT = Duration.ofSeconds(20);
    /** Longest pause between attempts while the manager cannot be reached. */
    static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    /** Reports sent in one request at most. */
    static final int MAX_REPORTS_PER_POST = 500;

    private final NodeConfig config;
    private final NodeAgent agent;
    private final ManagerChannel channel;
    private final NodeWorker worker;
    private final BlockingQueue<ChannelMessages.Report> reports = new LinkedBlockingQueue<>();
    /** Latest progress by transfer: coalesced, sent with the next batch. */
    private final Map<String, Long> progress = new LinkedHashMap<>();
    /** Counts registrations: reports made before the latest one are for work the manager has forgotten. */
    private final AtomicLong epoch = new AtomicLong();
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "skyhaul-node-heartbeat"));
    private final Thread poller;
    private final Thread sender;
    private volatile boolean registered;
    private volatile boolean closed;
    private volatile String lastState = "active";

    private RemoteNode(NodeConfig config, NodeAgent agent, ManagerChannel channel) {
        this.config = config;
        this.agent = agent;
        this.channel = channel;
        this.worker = new NodeWorker(agent, ChannelMessages.Report.recorder(this::queue));
        this.poller = daemon(this::pollLoop, "skyhaul-node-tasks");
        this.sender = daemon(this::sendLoop, "skyhaul-node-reports");
    }

    /**
     * Starts the UDP node over {@code data/node} and registers with the manager. A manager that
     * refuses the node key stops the start (IllegalArgumentException, with its reason); one that
     * cannot be reached yet is tried again in the background.
     */
    public static RemoteNode start(Path data, NodeConfig node, ManagerLink manager, boolean insecureHttp, Map<String, String> env,
            TransportSettings settings) throws Exception {
        URI url = manager.url();
        if (url == null || !("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
            throw new IllegalArgumentException("manager.url: a node-only process needs its manager's URL (http:// or https://HOST:PORT), got " + url);
        }
        if ("http".equals(url.getScheme()) && !insecureHttp && !io.skyhaul.config.ConfigLoader.isLoopback(url.getHost())) {
            throw new IllegalArgumentException("manager.url: " + url + " is plain HTTP to a manager that is not on loopback: the node key and the"
                    + " storage credentials would cross the network in clear; use https://, or pass --insecure-http to accept it");
        }
        String key = nodeKey(manager.nodeKeyFile(), env);
        NodeAgent agent = NodeAgent.start(data.resolve("node"), new InetSocketAddress(node.host(), node.udpPort()), node.publicAddress(), settings);
        RemoteNode r = new RemoteNode(node, agent, new ManagerChannel(url, key));
        try {
            try {
                r.register();
            } catch (ManagerChannel.ChannelException e) {
                if (e.unauthorized()) {
                    throw new IllegalArgumentException("the manager at " + r.managerUrl() + " refused this node's key: " + e.getMessage());
                }
                LOG.warn("node {}: {}; trying again in the background", node.name(), e.getMessage());
            }
            r.poller.start();
            r.sender.start();
            r.heartbeats.scheduleWithFixedDelay(r::heartbeat, 1, 5, TimeUnit.SECONDS);
            return r;
        } catch (RuntimeException | Error e) {
            r.close();
            throw e;
        }
    }


    private static String nodeKey(Path file, Map<String, String> env) throws IOException {
        String key;
        if (file != null) {
            if (!Files.isReadable(file)) {
                throw new IllegalArgumentException("manager.nodeKeyFile: " + file + " does not exist or is not readable");
            }
            key = Files.readString(file).strip();
        } else {
            key = env.getOrDefault(NODE_KEY_ENV, "").strip();
        }
        if (key.isEmpty()) {
            throw new IllegalArgumentException("manager.nodeKeyFile: a node-only process needs its node key: a file with the key an admin"
                    + " issued (POST /api/v1/node-keys), or the key in " + NODE_KEY_ENV);
        }
        return key;
    }

    public InetSocketAddress udpAddress() {
        return agent.udpAddress();
    }

    public String managerUrl() {
        return channel.managerUrl();
    }

    /** Gives up old work (the manager has forgotten it), then registers. */
    private synchronized void register() throws ManagerChannel.ChannelException {
        registered = false;
        epoch.incrementAndGet();
        worker.abandonAll("registering again with the manager, which no longer knows this work");
        reports.clear();
        synchronized (progress) {
            progress.clear();
        }
        ChannelMessages.Registered r = channel.register(new ChannelMessages.Register(agent.publicAddress(), config.maxSessions(),
                Base64.getEncoder().encodeToString(agent.ticketKey().encoded())));
        registered = true;
        LOG.info("node {}: registered with manager {} as '{}', udp {}", config.name(), managerUrl(), r.name(), agent.publicAddress());
        if (!r.name().equals(config.name())) {
            LOG.warn("node {}: the manager knows this node as '{}', the name its node key was issued for (node.name is '{}')", config.name(),
                    r.name(), config.name());
        }
    }

    private void pollLoop() {
        long backoffMs = 250;
        while (!closed) {
            try {
                if (!registered) {
                    register();
                }
                for (ChannelMessages.Task t : channel.tasks(POLL_WAIT)) {
                    LOG.info("node {}: task {}", config.name(), t);
                    worker.accept(t.toTask());
                }
                backoffMs = 250;
            } catch (ManagerChannel.ChannelException e) {
                if (closed) {
                    return;
                }
                trouble(e);
                sleep(backoffMs);
                backoffMs = Math.min(MAX_BACKOFF.toMillis(), backoffMs * 2);
            } catch (RuntimeException e) {
                LOG.warn("node {}: a task from the manager could not be taken: {}", config.name(), e.toString());
            }
        }
    }

    private void trouble(ManagerChannel.ChannelException e) {
        if (e.notRegistered()) {
            if (registered) {
                LOG.warn("node {}: the manager no longer knows this node ({}); registering again", config.name(), e.getMessage());
            }
            registered = false;
        } else if (e.unauthorized()) {
            LOG.error("node {}: the manager refused this node's key: {}", config.name(), e.getMessage());
            registered = false;
        } else {
            LOG.warn("node {}: {}", config.name(), e.getMessage());
        }
    }

    private void heartbeat() {
        if (!registered || closed) {
            return;
        }
        NodeWorker.Load load = worker.load();
        try {
            String state = channel.heartbeat(new ChannelMessages.Heartbeat(load.sessions(), load.throughputBps(), load.cpuLoad()));
            if (!state.equals(lastState)) {
                LOG.info("node {}: the manager has this node {} now", config.name(), state);
                lastState = state;
            }
        } catch (ManagerChannel.ChannelException e) {
            trouble(e);
        } catch (RuntimeException e) {
            LOG.warn("node {}: heartbeat failed: {}", config.name(), e.toString());
        }
    }

    private void queue(ChannelMessages.Report r) {
        if (r.type().equals("progress")) {
            synchronized (progress) {
                progress.put(r.transferId(), r.bytes());
            }
        } else {
            reports.add(r);
        }
    }

    /** Sends reports in order, at least once a second while progress changes; retries while the registration they belong to lasts. */
    private void sendLoop() {
        while (!closed) {
            try {
                List<ChannelMessages.Report> batch = new ArrayList<>();
                ChannelMessages.Report first = reports.poll(1, TimeUnit.SECONDS);
                long batchEpoch = epoch.get();
                synchronized (progress) {
                    progress.forEach((id, bytes) -> batch.add(new ChannelMessages.Report("progress", id, bytes, null, null, null, null, null)));
                    progress.clear();
                }
                if (first != null) {
                    batch.add(first);
                    reports.drainTo(batch, MAX_REPORTS_PER_POST);
                }
                long backoffMs = 250;
                while (!batch.isEmpty() && !closed && batchEpoch == epoch.get()) {
                    try {
                        if (registered) {
                            channel.reports(batch);
                            break;
                        }
                    } catch (ManagerChannel.ChannelException e) {
                        trouble(e);
                    }
                    Thread.sleep(backoffMs);
                    backoffMs = Math.min(MAX_BACKOFF.toMillis(), backoffMs * 2);
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() {
        closed = true;
        heartbeats.shutdownNow();
        poller.interrupt();
        sender.interrupt();
        worker.close();
        agent.close();
    }
}
