package io.skyhaul.linkem;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code linkem} command: {@code udp} runs a {@link UdpRelay}, {@code tun} a {@link TunLink},
 * {@code tun-cleanup} removes what a killed {@code tun} left behind. Long-running modes print a
 * line starting with {@code ready} on stdout once traffic can flow, run until SIGTERM or SIGINT,
 * then clean up and print the final counters on stderr. Exit codes: 0 success, 1 failure,
 * 2 bad command line.
 */
public final class LinkemMain {

    static final int EXIT_OK = 0;
    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = 2;

    private static final Logger LOG = LoggerFactory.getLogger(LinkemMain.class);

    private static final String LISTEN = "--listen";
    private static final String TO = "--to";
    private static final String NS_A = "--ns-a";
    private static final String NS_B = "--ns-b";
    private static final String ADDR_A = "--addr-a";
    private static final String ADDR_B = "--addr-b";
    private static final String DEV_A = "--dev-a";
    private static final String DEV_B = "--dev-b";
    private static final String STATS_INTERVAL = "--stats-interval";
    private static final String LOG_LEVEL = "--log-level";
    private static final long SHUTDOWN_WAIT_MILLIS = 10_000;
    private static final long FAILURE_POLL_MILLIS = 200;

    private final PrintStream out;
    private final PrintStream err;
    private final boolean configureLogging;
    private final CountDownLatch stopRequested = new CountDownLatch(1);

    /**
     * @param configureLogging true when running as the process's main, so logs go to stderr;
     *                         false when embedded (tests), leaving the host's logging alone
     */
    LinkemMain(PrintStream out, PrintStream err, boolean configureLogging) {
        this.out = out;
        this.err = err;
        this.configureLogging = configureLogging;
    }

    public static void main(String[] args) {
        int code = new LinkemMain(System.out, System.err, true).run(args);
        System.exit(code);
    }

    /** Runs a subcommand; for {@code udp} and {@code tun} blocks until {@link #requestStop()} or a signal. */
    int run(String[] args) {
        try {
            if (args.length == 0) {
                throw new UsageException("missing subcommand: udp, tun or tun-cleanup (see --help)");
            }
            String[] rest = Arrays.copyOfRange(args, 1, args.length);
            switch (args[0]) {
                case "udp":
                    return runUdp(rest);
                case "tun":
                    return runTun(rest);
                case "tun-cleanup":
                    return runTunCleanup(rest);
                case "help":
                case "--help":
                case "-h":
                    out.print(helpText());
                    return EXIT_OK;
                default:
                    throw new UsageException("unknown subcommand '" + args[0] + "': expected udp, tun or tun-cleanup");
            }
        } catch (UsageException e) {
            err.println("linkem: " + e.getMessage());
            return EXIT_USAGE;
        } catch (IOException e) {
            err.println("linkem: " + e.getMessage());
            LOG.debug("failure detail", e);
            return EXIT_FAILURE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("linkem: interrupted");
            return EXIT_FAILURE;
        }
    }

    /** Makes a running {@code udp} or {@code tun} subcommand clean up and return, as SIGTERM does. */
    void requestStop() {
        stopRequested.countDown();
    }

    private int runUdp(String[] args) throws IOException, InterruptedException {
        CliArguments cli = CliArguments.parse(args, flags(true, LISTEN, TO, STATS_INTERVAL, LOG_LEVEL));
        if (cli.helpRequested()) {
            out.print(helpText());
            return EXIT_OK;
        }
        InetSocketAddress listen = CliArguments.convert(LISTEN, cli.required(LISTEN), t -> parseHostPort(t, true));
        InetSocketAddress to = CliArguments.convert(TO, cli.required(TO), t -> parseHostPort(t, false));
        LinkProfile profile = LinkProfileParser.parse(cli);
        long statsInterval = statsInterval(cli);
        setUpLogging(cli);
        UdpRelay relay = UdpRelay.start(listen, to, profile);
        String ready = "ready " + relay.listenAddress().getAddress().getHostAddress() + ":"
                + relay.listenAddress().getPort();
        runUntilStopped(ready, relay::stats, statsInterval, () -> false, () -> {
            relay.close();
            err.println("linkem final: " + relay.stats().summary());
        });
        return EXIT_OK;
    }

    private int runTun(String[] args) throws IOException, InterruptedException {
        CliArguments cli = CliArguments.parse(args,
                flags(true, NS_A, NS_B, ADDR_A, ADDR_B, DEV_A, DEV_B, STATS_INTERVAL, LOG_LEVEL));
        if (cli.helpRequested()) {
            out.print(helpText());
            return EXIT_OK;
        }
        TunLinkConfig config = tunConfig(cli, true);
        LinkProfile profile = LinkProfileParser.parse(cli);
        long statsInterval = statsInterval(cli);
        setUpLogging(cli);
        TunLink link = TunLink.create(config, profile);
        runUntilStopped("ready", link::stats, statsInterval, () -> link.failure().isPresent(), () -> {
            try {
                link.close();
            } finally {
                err.println("linkem final: " + link.stats().summary());
            }
        });
        if (link.failure().isPresent()) {
            err.println("linkem: forwarding failed: " + link.failure().get());
            return EXIT_FAILURE;
        }
        return EXIT_OK;
    }

    private int runTunCleanup(String[] args) throws IOException {
        CliArguments cli = CliArguments.parse(args, flags(false, NS_A, NS_B, DEV_A, DEV_B, LOG_LEVEL));
        if (cli.helpRequested()) {
            out.print(helpText());
            return EXIT_OK;
        }
        setUpLogging(cli);
        TunLinkConfig config = tunConfig(cli, false);
        List<String> removed = TunLink.removeLeftovers(config.namespaceA(), config.namespaceB(), config.deviceA(),
                config.deviceB());
        out.println(removed.isEmpty() ? "nothing to remove" : "removed " + String.join(", ", removed));
        return EXIT_OK;
    }

    /** What a long-running subcommand does once it is asked to stop. */
    @FunctionalInterface
    private interface Cleanup {
        void run() throws IOException;
    }

    /**
     * Prints {@code readyLine}, waits for a stop request (SIGTERM/SIGINT through a shutdown hook,
     * or {@link #requestStop()}) or for {@code failed} to become true, then runs {@code cleanup}.
     * The hook is registered before the ready line so that a script may signal as soon as it sees
     * it, and it waits until the clean-up is done: the JVM halts when its hooks return, and the
     * final counters must be printed before that.
     */
    private void runUntilStopped(String readyLine, Supplier<LinkStats> stats, long statsIntervalNanos,
                                 BooleanSupplier failed, Cleanup cleanup) throws IOException, InterruptedException {
        CountDownLatch cleanedUp = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stopRequested.countDown();
            try {
                if (!cleanedUp.await(SHUTDOWN_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                    err.println("linkem: clean-up did not finish within " + SHUTDOWN_WAIT_MILLIS + " ms");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "linkem-shutdown");
        try {
            Runtime.getRuntime().addShutdownHook(hook);
        } catch (IllegalStateException e) {
            // A signal arrived during start-up: clean up at once.
            cleanup.run();
            return;
        }
        out.println(readyLine);
        out.flush();
        StatsReporter reporter = statsIntervalNanos > 0 ? new StatsReporter(stats, err, statsIntervalNanos) : null;
        if (reporter != null) {
            reporter.start();
        }
        try {
            while (!stopRequested.await(FAILURE_POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                if (failed.getAsBoolean()) {
                    break;
                }
            }
        } finally {
            try {
                if (reporter != null) {
                    reporter.close();
                }
                cleanup.run();
            } finally {
                cleanedUp.countDown();
                removeHook(hook);
            }
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            LOG.debug("shutting down: {}", e.toString());
        }
    }

    private void setUpLogging(CliArguments cli) {
        String level = cli.raw(LOG_LEVEL).orElse("info").toLowerCase(Locale.ROOT);
        if (!level.equals("info") && !level.equals("debug")) {
            throw new UsageException(LOG_LEVEL + ": expected info or debug, got '" + level + "'");
        }
        if (configureLogging) {
            CliLogging.configure(level.equals("debug"));
        }
    }

    private static TunLinkConfig tunConfig(CliArguments cli, boolean needAddresses) {
        String nsA = cli.required(NS_A);
        String nsB = cli.required(NS_B);
        String addrA = needAddresses ? cli.required(ADDR_A) : "198.18.0.1";
        String addrB = needAddresses ? cli.required(ADDR_B) : "198.18.0.2";
        try {
            TunLinkConfig defaults = TunLinkConfig.of(nsA, nsB, TunLinkConfig.parseAddress(ADDR_A, addrA),
                    TunLinkConfig.parseAddress(ADDR_B, addrB));
            return new TunLinkConfig(nsA, nsB, defaults.addressA(), defaults.addressB(),
                    cli.raw(DEV_A).orElse(defaults.deviceA()), cli.raw(DEV_B).orElse(defaults.deviceB()));
        } catch (UsageException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            // TunLinkConfig's messages start with the flag name already.
            throw new UsageException(e.getMessage());
        }
    }

    private static long statsInterval(CliArguments cli) {
        return cli.get(STATS_INTERVAL, Units::parseDurationNanos).orElse(0L);
    }

    /** Parses HOST:PORT or [IPV6]:PORT; port 0 is allowed only where the OS may pick one. */
    static InetSocketAddress parseHostPort(String text, boolean allowPortZero) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("expected HOST:PORT such as 127.0.0.1:9100, got '" + text + "'");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port must be a number, got '" + text + "'", e);
        }
        if (port < (allowPortZero ? 0 : 1) || port > 65_535) {
            throw new IllegalArgumentException("port out of range in '" + text + "'");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown host '" + host + "'", e);
        }
    }

    /** The flags a subcommand accepts: its own, plus all impairment flags if it runs a link. */
    private static Set<String> flags(boolean withImpairments, String... own) {
        Set<String> all = new LinkedHashSet<>(Arrays.asList(own));
        if (withImpairments) {
            all.addAll(LinkProfileParser.FLAG_NAMES);
        }
        return all;
    }

    static String helpText() {
        return """
                linkem - link emulator for Skyhaul benchmarks and tests (delay, loss, rate, queue, reordering)

                Usage:
                  linkem udp --listen HOST:PORT --to HOST:PORT [impairments] [--stats-interval D]
                      UDP relay: clients send to --listen; each client's datagrams go to --to from
                      its own socket (NAT style), replies come back. All clients share one bottleneck
                      per direction. Prints "ready HOST:PORT" on stdout when listening.
                  linkem tun --ns-a NS --ns-b NS --addr-a IP --addr-b IP [--dev-a NAME --dev-b NAME]
                             [impairments] [--stats-interval D]
                      IP link between two new network namespaces through TUN devices (needs root),
                      so TCP can be impaired too. Addresses must be in 198.18.0.0/15 (RFC 2544).
                      Run programs with: ip netns exec NS PROGRAM. Prints "ready" on stdout once
                      forwarding; removes namespaces and devices on exit, SIGTERM or failure.
                  linkem tun-cleanup --ns-a NS --ns-b NS [--dev-a NAME --dev-b NAME]
                      Removes namespaces and devices left by a killed 'tun' run. Idempotent.

                Impairments (each direction separately, in this order: loss, bottleneck queue,
                delay + jitter, duplication, reordering):
                """ + LinkProfileParser.helpText() + """

                Other options:
                  --stats-interval DURATION
                      one line of counters per interval on stderr. Default off
                  --log-level info|debug
                      log detail on stderr. Default info
                  --dev-a NAME, --dev-b NAME
                      TUN device names. Default lkA-/lkB- followed by the namespace name
                  --help
                      this text

                Units: rates in bit/s with decimal k/m/g (200m = 200,000,000 bit/s); durations with us,
                ms or s; fractions as 1% or 0.01; byte sizes with binary k/m/g (64k = 65,536 bytes).
                Runs until SIGTERM or SIGINT, then prints final counters on stderr.
                Exit codes: 0 success, 1 failure, 2 bad command line.
                """;
    }
}
