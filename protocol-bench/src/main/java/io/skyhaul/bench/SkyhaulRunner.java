package io.skyhaul.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs Skyhaul transfers as real processes: a fresh {@code skyhaul receive} into a fresh
 * directory, the {@code linkem udp} relay process in front of it (unless the run is unimpaired),
 * and one or two {@code skyhaul send --json} through it. Checks the received files' SHA-256
 * against the sources and stops every process it started before returning.
 */
final class SkyhaulRunner {
    /** How long a receiver or relay gets to start listening. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    /** The relay's random seed: the same losses for the same packet order, run after run. */
    static final long RELAY_SEED = 1;
    private static final Pattern RECEIVER_PORT = Pattern.compile("on udp /?127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern RELAY_READY = Pattern.compile("^ready \\S+:(\\d+)");
    private static final String LOOPBACK = "127.0.0.1";

    private final BenchOptions options;
    private final Path work;
    private final Path logs;
    private final Path keyFile;
    private final ChildRegistry registry;
    private final String java;

    SkyhaulRunner(BenchOptions options, Path work, Path logs, Path keyFile, ChildRegistry registry, String java) {
        this.options = options;
        this.work = work;
        this.logs = logs;
        this.keyFile = keyFile;
        this.registry = registry;
        this.java = java;
    }

    /** One session; through a relay with the case's impairments, or straight to the receiver when {@code link} is null. */
    SkyhaulResult single(String label, GridCase link, PayloadFile file, int datagramSize) {
        return run(label, link, List.of(new Sender("sender", file, "fair", datagramSize))).get(0);
    }

    /** Two sessions started together through one relay (one bottleneck), with their shares over the time both ran. */
    PairResult pair(String label, GridCase link, PayloadFile a, String policyA, PayloadFile b, String policyB) {
        List<SkyhaulResult> r = run(label, link, List.of(new Sender("sender-a", a, policyA, options.datagramSize()),
                new Sender("sender-b", b, policyB, options.datagramSize())));
        Optional<SenderProgress.Shares> shares = Optional.empty();
        if (r.get(0).ok() && r.get(1).ok()) {
            shares = SenderProgress.shares(SenderProgress.parse(r.get(0).logDir().resolve("sender-a.err")),
                    SenderProgress.parse(r.get(1).logDir().resolve("sender-b.err")), PairResult.SETTLE_FRACTION);
        }
        return new PairResult(label, link, policyA, policyB, r.get(0), r.get(1), shares);
    }

    /** Probe timeouts the sender logged (one debug line each), or -1 when its log cannot be read. */
    private static long probeTimeouts(Path senderLog) {
        try (Stream<String> lines = Files.lines(senderLog, StandardCharsets.ISO_8859_1)) {
            return lines.filter(l -> l.contains("probe timeout")).count();
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
    }

    private record Sender(String name, PayloadFile file, String policy, int datagramSize) {
    }

    private List<SkyhaulResult> run(String label, GridCase link, List<Sender> senders) {
        Path caseLogs = logs.resolve(fileNameOf(label));
        Path receiveDir = work.resolve("rx-" + fileNameOf(label));
        List<ChildProcess> started = new ArrayList<>();
        try {
            Files.createDirectories(caseLogs);
            Files.createDirectories(receiveDir);
            ChildProcess receiver = start(started, "receiver", List.of(options.skyhaul().toString(), "receive", "--listen", LOOPBACK + ":0",
                    "--dir", receiveDir.toString(), "--key-file", keyFile.toString()), Map.of("SKYHAUL_LOG_LEVEL", "DEBUG"), caseLogs);
            int port = Integer.parseInt(receiver.awaitLine(RECEIVER_PORT, false, START_TIMEOUT).group(1));
            if (link != null) {
                List<String> relay = new ArrayList<>(List.of(java, "-jar", options.linkemJar().toString(), "udp", "--listen", LOOPBACK + ":0",
                        "--to", LOOPBACK + ":" + port));
                relay.addAll(link.linkemFlags());
                relay.addAll(List.of("--seed", Long.toString(RELAY_SEED), "--stats-interval", "5s"));
                ChildProcess relayProcess = start(started, "relay", relay, Map.of(), caseLogs);
                port = Integer.parseInt(relayProcess.awaitLine(RELAY_READY, true, START_TIMEOUT).group(1));
            }
            double receiverCpuBefore = receiver.cpuSeconds();
            double reapedBefore = ProcStat.reapedChildrenCpuSeconds();
            List<ChildProcess> running = new ArrayList<>();
            long biggest = 0;
            for (Sender s : senders) {
                List<String> cmd = new ArrayList<>(List.of(options.skyhaul().toString(), "send", "--to", LOOPBACK + ":" + port, "--key-file",
                        keyFile.toString(), "--json", "--datagram-size", Integer.toString(s.datagramSize())));
                if (!s.policy().equals("fair")) {
                    cmd.addAll(List.of("--policy", s.policy()));
                }
                cmd.add(s.file().path().toString());
                running.add(start(started, s.name(), cmd, Map.of("SKYHAUL_LOG_LEVEL", "DEBUG"), caseLogs));
                biggest = Math.max(biggest, s.file().size());
            }
            long deadline = System.nanoTime() + BenchOptions.transferTimeout(biggest * senders.size()).toNanos();
            int[] status = new int[senders.size()];
            for (int i = 0; i < running.size(); i++) {
                status[i] = running.get(i).waitFor(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            }
            // Only a single sender's CPU can be told apart from the reaped total.
            double senderCpu = senders.size() == 1 ? ProcStat.reapedChildrenCpuSeconds() - reapedBefore : Double.NaN;
            double receiverCpu = receiver.isAlive() ? receiver.cpuSeconds() - receiverCpuBefore : Double.NaN;
            List<SkyhaulResult> results = new ArrayList<>();
            for (int i = 0; i < senders.size(); i++) {
                Sender s = senders.get(i);
                String failure = check(status[i], running.get(i), s.file(), receiveDir);
                SendSummary summary = status[i] == 0 ? SendSummary.read(running.get(i).stdoutFile()) : null;
                double cpu = Double.isNaN(senderCpu + receiverCpu) ? -1 : senderCpu + receiverCpu;
                results.add(new SkyhaulResult(senders.size() == 1 ? label : label + " " + s.name(), failure, summary, cpu, caseLogs,
                        probeTimeouts(caseLogs.resolve(s.name() + ".err"))));
            }
            return results;
        } catch (IOException | BenchException e) {
            // The case could not run (a process would not start, a file vanished): a failure, and the other cases go on.
            List<SkyhaulResult> failed = new ArrayList<>();
            for (Sender s : senders) {
                failed.add(new SkyhaulResult(senders.size() == 1 ? label : label + " " + s.name(), "could not run: " + e.getMessage(), null, -1,
                        caseLogs, -1));
            }
            return failed;
        } finally {
            for (int i = started.size() - 1; i >= 0; i--) {
                started.get(i).close();
            }
            if (!options.keepWork()) {
                FileTrees.deleteTree(receiveDir);
            }
        }
    }

    private ChildProcess start(List<ChildProcess> started, String name, List<String> command, Map<String, String> env, Path caseLogs) {
        Map<String, String> environment = new java.util.HashMap<>(env);
        environment.put("JAVA", java);
        ChildProcess p = ChildProcess.start(name, command, environment, caseLogs, registry);
        started.add(p);
        return p;
    }

    /** Null when the sender succeeded and the received copy is byte-identical; else the reason. */
    private static String check(int status, ChildProcess sender, PayloadFile file, Path receiveDir) throws IOException {
        if (status == -1) {
            return "hung: no result within the time limit (sender stopped); debug log " + sender.stderrFile();
        }
        if (status != 0) {
            return "sender exited with status " + status + "; debug log " + sender.stderrFile();
        }
        SendSummary summary = SendSummary.read(sender.stdoutFile());
        if (summary.sha256() != null && !summary.sha256().equals(file.sha256())) {
            return "the sender reported SHA-256 " + summary.sha256() + " for " + file.fileName() + ", expected " + file.sha256();
        }
        Path received = receiveDir.resolve(file.fileName());
        if (!Files.isRegularFile(received)) {
            return "the receiver has no " + file.fileName();
        }
        String digest = PayloadFile.sha256Of(received);
        if (!digest.equals(file.sha256())) {
            return "DIGEST MISMATCH: received " + file.fileName() + " has SHA-256 " + digest + ", the source " + file.sha256();
        }
        return null;
    }

    /** The default {@code --datagram-size} of {@code skyhaul send}, from its help text. */
    static int cliDefaultDatagramSize(Path skyhaul, String java) {
        String help = ShortCommand.run(List.of(skyhaul.toString(), "send", "--help"), Map.of("JAVA", java));
        java.util.regex.Matcher m = Pattern.compile("--datagram-size.*?Default: (\\d+)", Pattern.DOTALL).matcher(help);
        if (!m.find()) {
            throw new BenchException("cannot find the default of --datagram-size in 'skyhaul send --help'");
        }
        return Integer.parseInt(m.group(1));
    }

    static String fileNameOf(String label) {
        return label.replace("%", "pct").replaceAll("[^A-Za-z0-9.-]+", "-");
    }
}
