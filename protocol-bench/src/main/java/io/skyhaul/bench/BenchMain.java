package io.skyhaul.bench;

import io.skyhaul.bench.BenchOptions.Part;
import io.skyhaul.transport.ticket.PreSharedKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The process-level benchmark {@code protocol-bench/bench.sh} runs: real {@code skyhaul receive}
 * and {@code skyhaul send} processes through the {@code linkem udp} relay process on every grid
 * case, plain TCP (BBR and CUBIC) through {@code linkem tun} with the same impairments, two
 * sessions sharing one bottleneck (fair + fair, fair + background), and the unimpaired loopback
 * case. Prints one table; exits 1 when a transfer failed or a digest differed (never because of a
 * slow figure), 2 on bad usage.
 *
 * <p>Everything runs on 127.0.0.1 or inside network namespaces this run creates; every process
 * it starts is stopped by PID before it returns (and from a shutdown hook on SIGTERM/SIGINT).
 */
public final class BenchMain {
    private static final List<String> CONGESTION_CONTROLS = List.of("bbr", "cubic");
    /** Bytes of a DATA datagram that are not file data: header, offset, AEAD tag. */
    private static final int DATA_OVERHEAD = io.skyhaul.transport.wire.Wire.DATA_OVERHEAD;
    private static final int IP_UDP_HEADER = io.skyhaul.linkem.UdpRelay.IPV4_UDP_OVERHEAD_BYTES;

    private final BenchOptions checkout;
    private final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    private BenchMain(BenchOptions options) {
        this.checkout = options;
    }

    public static void main(String[] args) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(BenchOptions.USAGE);
            return;
        }
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        int status;
        try {
            status = new BenchMain(options).run();
        } catch (BenchException e) {
            System.err.println("bench: " + e.getMessage());
            status = 1;
        }
        System.exit(status);
    }

    private int run() {
        Path runDir = checkout.resultsDir().resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Path work;
        try {
            Files.createDirectories(runDir.resolve("logs"));
            Files.createDirectories(checkout.workDir());
            work = Files.createTempDirectory(checkout.workDir(), "skyhaul-bench-");
        } catch (IOException e) {
            throw new BenchException("cannot create the run's directories: " + e.getMessage(), e);
        }
        ChildRegistry registry = new ChildRegistry(checkout.ledger());
        if (!checkout.keepWork()) {
            registry.workDirectory(work);
        }
        Thread cleanup = new Thread(() -> {
            registry.stopAll();
            if (!checkout.keepWork()) {
                FileTrees.deleteTree(work);
            }
        }, "bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            Path snapshot = work.resolve("build");
            String build = BuildSnapshot.copy(checkout.repo(), snapshot);
            int datagramSize = checkout.datagramSize() != BenchOptions.CLI_DEFAULT_DATAGRAM_SIZE ? checkout.datagramSize()
                    : SkyhaulRunner.cliDefaultDatagramSize(snapshot.resolve("bin/skyhaul"), java);
            return runParts(checkout.withBuild(snapshot, datagramSize), build, work, runDir, registry);
        } catch (IOException | PreSharedKey.KeyFileException e) {
            throw new BenchException(e.getMessage(), e);
        } finally {
            cleanup.run();
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down; the hook runs (again, harmlessly) on its own.
                log("shutdown in progress: %s", e.getMessage());
            }
        }
    }

    /** Runs every selected part with the snapshot's programs; returns the exit status. */
    private int runParts(BenchOptions options, String build, Path work, Path runDir, ChildRegistry registry)
            throws IOException, PreSharedKey.KeyFileException {
        Path logs = runDir.resolve("logs");
        Path key = work.resolve("key");
        PreSharedKey.generate(new SecureRandom()).writeNew(key);
        Payloads payloads = new Payloads(work);
        SkyhaulRunner skyhaul = new SkyhaulRunner(options, work, logs, key, registry, java);
        TcpRunner tcp = new TcpRunner(options, logs, registry, java);
        Optional<String> tcpUnavailable = options.runs(Part.TCP) ? TcpRunner.unavailableReason() : Optional.of("skipped");
        ResultsTable table = new ResultsTable(options.loopbackDatagramSize());
        table.tcpNote(tcpUnavailable.map(why -> "not run: " + why).orElse(String.format(Locale.ROOT,
                "one connection per copy through linkem tun (same impairments, seed %d), congestion control set on the sending socket "
                        + "and checked with ss, copies bounded to %.0f s", SkyhaulRunner.RELAY_SEED, options.tcpSeconds())),
                options.tcpSeconds());
        log("run %s: results in %s; %s", options.quick() ? "quick" : "full", runDir, build);

        if (options.runs(Part.GRID)) {
            PayloadFile file = payloads.get("grid.bin", options.size());
            int n = 0;
            for (GridCase c : options.cases()) {
                n++;
                SkyhaulResult s = skyhaul.single("grid " + c, c, file, options.datagramSize());
                log("[%d/%d] %s Skyhaul: %s", n, options.cases().size(), c, describe(s));
                Map<String, TcpResult> t = Map.of();
                if (tcpUnavailable.isEmpty()) {
                    t = tcp.run(c, file, CONGESTION_CONTROLS);
                    for (TcpResult r : t.values()) {
                        log("[%d/%d] %s TCP-%s: %s", n, options.cases().size(), c, r.congestionControl(),
                                r.ok() ? String.format(Locale.ROOT, "%.1f Mbit/s%s", r.mbps(), r.complete() ? "" : " (time-bounded)")
                                        : "FAILED: " + r.failure());
                    }
                }
                table.add(new ResultsTable.Row(c, file.size(), s, t));
            }
        }
        if (options.runs(Part.FAIRNESS)) {
            PairResult p = skyhaul.pair("fairness", options.pairCase(), payloads.get("fair-a.bin", options.pairSize()), "fair",
                    payloads.get("fair-b.bin", options.pairSize()), "fair");
            log("%s", ResultsTable.pairLine(p));
            table.add(p);
        }
        if (options.runs(Part.BACKGROUND)) {
            PairResult p = skyhaul.pair("background", options.pairCase(), payloads.get("fair-a.bin", options.pairSize()), "fair",
                    payloads.get("background-b.bin", options.pairSize()), "background");
            log("%s", ResultsTable.pairLine(p));
            table.add(p);
        }
        if (options.runs(Part.LOOPBACK)) {
            SkyhaulResult s = skyhaul.single("loopback", null, payloads.get("loopback.bin", options.loopbackSize()),
                    options.loopbackDatagramSize());
            log("loopback: %s", describe(s));
            table.loopback(s);
        }
        String report = String.format(Locale.ROOT, "Build: %s. Grid and two-session senders: --datagram-size %d (%,d bytes of file data "
                + "per datagram; at most %.1f Mbit/s of file data through 200 Mbit/s counting %d bytes of IP/UDP header each).%n%n",
                build, options.datagramSize(), options.datagramSize() - DATA_OVERHEAD, ceilingMbps(options.datagramSize()), IP_UDP_HEADER)
                + table.render();
        System.out.println();
        System.out.print(report);
        Files.writeString(runDir.resolve("table.md"), report, StandardCharsets.UTF_8);
        log("table and logs kept in %s", runDir);
        return table.failures().isEmpty() ? 0 : 1;
    }

    /** Most goodput a datagram size allows through the 200 Mbit/s bottleneck, which counts IP and UDP headers. */
    static double ceilingMbps(int datagramSize) {
        return GridCase.BOTTLENECK_BITS_PER_SECOND / 1e6 * (datagramSize - DATA_OVERHEAD) / (datagramSize + IP_UDP_HEADER);
    }

    private static String describe(SkyhaulResult s) {
        if (!s.ok()) {
            return "FAILED: " + s.failure();
        }
        return String.format(Locale.ROOT, "%.1f Mbit/s, %.2f%% retransmitted, %d probe timeouts, %.1f CPU s/GiB", s.mbps(),
                s.retransmittedPercent(), s.probeTimeouts(), s.cpuSecondsPerGiB());
    }

    private static void log(String format, Object... args) {
        System.err.println("bench: " + String.format(Locale.ROOT, format, args));
    }

    /** The run's source files, created on first use (pseudo-random, fixed seeds) and reused. */
    private static final class Payloads {
        private final Path dir;
        private final Map<String, PayloadFile> made = new HashMap<>();

        Payloads(Path work) throws IOException {
            this.dir = Files.createDirectories(work.resolve("src"));
        }

        PayloadFile get(String name, long size) throws IOException {
            PayloadFile f = made.get(name);
            if (f == null) {
                f = PayloadFile.create(dir.resolve(name), size, name.hashCode());
                made.put(name, f);
            }
            return f;
        }
    }
}
