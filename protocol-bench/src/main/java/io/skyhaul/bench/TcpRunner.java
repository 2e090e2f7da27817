package io.skyhaul.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plain TCP over the same impairments, for comparison: {@code linkem tun} links two fresh network
 * namespaces through the emulator, and {@link TcpCopy} copies the file from one to the other once
 * per congestion control, set on the sending socket ({@code TCP_CONGESTION}: a namespace other than
 * the first may only default to the host's allowed algorithms) and checked with {@code ss -ti}.
 * Each namespace gets TCP buffers large enough for twice the longest path's bandwidth-delay
 * product, so the window is not what limits TCP, and does not cache path metrics between runs.
 */
final class TcpRunner {
    static final String ADDRESS_A = "198.18.0.1";
    static final String ADDRESS_B = "198.18.0.2";
    /** Auto-tuning ceiling for TCP buffers inside the namespaces: 64 MiB, well above 2 × BDP at 200 Mbit/s and 200 ms. */
    static final String TCP_BUFFER_SYSCTLS_MAX = "67108864";
    static final Duration SETUP_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern LISTENING = Pattern.compile("^listening \\S+:(\\d+)");
    private static final Pattern READY = Pattern.compile("^ready");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BenchOptions options;
    private final Path logs;
    private final ChildRegistry registry;
    private final String java;
    private int linkNumber;

    TcpRunner(BenchOptions options, Path logs, ChildRegistry registry, String java) {
        this.options = options;
        this.logs = logs;
        this.registry = registry;
        this.java = java;
    }

    /** Why the TCP comparison cannot run here (it needs root, /dev/net/tun, iproute2 and BBR), or empty. */
    static Optional<String> unavailableReason() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of("needs root (network namespaces and TUN devices)");
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            return Optional.of("needs /dev/net/tun");
        }
        try {
            String available = ShortCommand.run(List.of("sysctl", "-n", "net.ipv4.tcp_available_congestion_control")).trim();
            if (!available.contains("bbr")) {
                ShortCommand.run(List.of("modprobe", "tcp_bbr"));
                available = ShortCommand.run(List.of("sysctl", "-n", "net.ipv4.tcp_available_congestion_control")).trim();
            }
            if (!available.contains("bbr") || !available.contains("cubic")) {
                return Optional.of("needs TCP BBR and CUBIC; the kernel offers: " + available);
            }
        } catch (BenchException e) {
            return Optional.of(e.getMessage());
        }
        return Optional.empty();
    }

    /** One copy per congestion control, all through one fresh link with the case's impairments. */
    Map<String, TcpResult> run(GridCase link, PayloadFile file, List<String> congestionControls) {
        linkNumber++;
        String tag = "sb" + ProcessHandle.current().pid() % 10000 + "c" + linkNumber;
        String nsA = tag + "a";
        String nsB = tag + "b";
        Path caseLogs = logs.resolve(SkyhaulRunner.fileNameOf("tcp " + link));
        Map<String, TcpResult> results = new LinkedHashMap<>();
        List<ChildProcess> started = new ArrayList<>();
        registry.namespaces(nsA, nsB);
        try {
            Files.createDirectories(caseLogs);
            List<String> tun = new ArrayList<>(List.of(java, "-jar", options.linkemJar().toString(), "tun", "--ns-a", nsA, "--ns-b", nsB,
                    "--addr-a", ADDRESS_A, "--addr-b", ADDRESS_B));
            tun.addAll(link.linkemFlags());
            tun.addAll(List.of("--seed", Long.toString(SkyhaulRunner.RELAY_SEED), "--stats-interval", "5s"));
            ChildProcess linkProcess = ChildProcess.start("linkem-tun", tun, Map.of(), caseLogs, registry);
            started.add(linkProcess);
            linkProcess.awaitLine(READY, true, SETUP_TIMEOUT);
            configureTcp(nsA);
            configureTcp(nsB);
            for (String cc : congestionControls) {
                results.put(cc, copy(cc, nsA, nsB, file, caseLogs, started));
            }
            return results;
        } catch (IOException | BenchException e) {
            // The link or a copy could not run: the copies not done yet fail, and the other cases go on.
            for (String cc : congestionControls) {
                results.putIfAbsent(cc, TcpResult.failed(cc, "could not run: " + e.getMessage()));
            }
            return results;
        } finally {
            for (int i = started.size() - 1; i >= 0; i--) {
                started.get(i).close();
            }
            // linkem removes its namespaces on SIGTERM; this catches a SIGKILLed one (idempotent).
            ShortCommand.run(List.of(java, "-jar", options.linkemJar().toString(), "tun-cleanup", "--ns-a", nsA, "--ns-b", nsB));
        }
    }

    private TcpResult copy(String cc, String nsA, String nsB, PayloadFile file, Path caseLogs, List<ChildProcess> started) {
        String cp = options.benchmarksJar().toString();
        ChildProcess server = ChildProcess.start("tcp-" + cc + "-server", List.of("ip", "netns", "exec", nsB, java, "-Xmx256m", "-cp", cp,
                TcpCopy.class.getName(), "server", "--listen", ADDRESS_B + ":0", "--seconds", Double.toString(options.tcpSeconds())),
                Map.of(), caseLogs, registry);
        started.add(server);
        int port = Integer.parseInt(server.awaitLine(LISTENING, true, SkyhaulRunner.START_TIMEOUT).group(1));
        ChildProcess client = ChildProcess.start("tcp-" + cc + "-client", List.of("ip", "netns", "exec", nsA, java, "-Xmx256m",
                TcpCongestion.JVM_FLAG, "-cp", cp, TcpCopy.class.getName(), "client", "--to", ADDRESS_B + ":" + port, "--file",
                file.path().toString(), "--seconds", Double.toString(options.tcpSeconds() + 30), "--congestion", cc), Map.of(), caseLogs, registry);
        started.add(client);
        String seen = watchCongestionControl(nsA, port, client);
        int clientStatus = client.waitFor(Duration.ofSeconds((long) options.tcpSeconds() + 60));
        int serverStatus = server.waitFor(Duration.ofSeconds(30));
        if (serverStatus != 0) {
            return TcpResult.failed(cc, "TCP server exited with status " + serverStatus + "; " + server.stderrTail());
        }
        JsonNode r = lastJson(server.stdoutFile());
        boolean complete = r.path("complete").asBoolean();
        String failure = null;
        if (clientStatus != 0) {
            failure = "TCP client exited with status " + clientStatus + "; " + client.stderrTail();
        } else if (complete && !file.sha256().equals(r.path("sha256").asText())) {
            failure = "DIGEST MISMATCH over TCP: " + r.path("sha256").asText() + ", the source " + file.sha256();
        } else if (!cc.equals(seen)) {
            failure = "the TCP connection used " + (seen == null ? "a congestion control ss never showed" : seen) + ", not " + cc;
        }
        return new TcpResult(cc, failure, r.path("bytes").asLong(), r.path("seconds").asDouble(), complete, seen);
    }

    /** The congestion control the kernel reports for the copy's connection ({@code ss -ti}), or null if never seen. */
    private static String watchCongestionControl(String ns, int port, ChildProcess client) {
        Pattern algorithm = Pattern.compile("\\b(bbr|cubic|reno)\\b");
        long deadline = System.nanoTime() + SkyhaulRunner.START_TIMEOUT.toNanos();
        while (client.isAlive() && System.nanoTime() < deadline) {
            String ss = ShortCommand.run(List.of("ip", "netns", "exec", ns, "ss", "-tin", "dst", ADDRESS_B + ":" + port));
            Matcher m = algorithm.matcher(ss);
            if (m.find()) {
                return m.group(1);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BenchException("interrupted", e);
            }
        }
        return null;
    }

    private static void configureTcp(String ns) {
        ShortCommand.run(List.of("ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv4.tcp_rmem=4096 131072 " + TCP_BUFFER_SYSCTLS_MAX,
                "net.ipv4.tcp_wmem=4096 16384 " + TCP_BUFFER_SYSCTLS_MAX, "net.ipv4.tcp_no_metrics_save=1"));
    }

    private static JsonNode lastJson(Path stdout) {
        try {
            String json = null;
            for (String l : Files.readAllLines(stdout, StandardCharsets.UTF_8)) {
                if (l.startsWith("{")) {
                    json = l;
                }
            }
            if (json == null) {
                throw new BenchException("no result line in " + stdout);
            }
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new BenchException("cannot read " + stdout + ": " + e.getMessage(), e);
        }
    }
}
