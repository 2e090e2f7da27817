package io.skyhaul.bench.jmh;

import io.skyhaul.bench.GridCase;
import io.skyhaul.bench.FileTrees;
import io.skyhaul.bench.PayloadFile;
import io.skyhaul.linkem.LinkProfile;
import io.skyhaul.linkem.UdpRelay;
import io.skyhaul.transport.session.TransferException;
import io.skyhaul.transport.session.TransferReport;
import io.skyhaul.transport.session.TransportSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Goodput of the UDP core through the in-process emulator on the benchmark grid: one upload of
 * {@code sizeMiB} per iteration from a {@code TransferClient} to a {@code TransferNode} through a
 * {@link UdpRelay} with RTT/2 one-way delay, Bernoulli loss, a 200 Mbit/s bottleneck and the
 * default queue (one BDP, at least 64 KiB). The score is the transfer's wall time (client call to
 * return); {@link TransferMetrics} records file MiB, the session's own seconds, CPU seconds and
 * retransmitted MiB, from which {@link JmhResultsPrinter} tabulates goodput, CPU per GiB and the
 * retransmitted share.
 *
 * <p>The emulator counts 28 bytes of IP and UDP header per datagram, and a DATA datagram carries
 * {@code Wire.DATA_OVERHEAD} (42) bytes besides file data, so the transport's default 1,452-byte
 * datagrams can deliver at most 200 × 1,410 / 1,480 ≈ 190.5 Mbit/s of file data (1,400-byte ones
 * 200 × 1,358 / 1,428 ≈ 190.2). The emulator drops randomly lost packets before the bottleneck,
 * so loss does not lower that ceiling.
 *
 * <pre>
 * java -jar protocol-bench/target/benchmarks.jar RelayedTransferBenchmark -rf json -rff relayed.json
 * java -jar protocol-bench/target/benchmarks.jar RelayedTransferBenchmark -p rttMillis=200 -p lossPercent=5 -p sizeMiB=256
 * </pre>
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-XX:+UseParallelGC"})
@Warmup(iterations = 1)
@Measurement(iterations = 2)
@State(Scope.Benchmark)
public class RelayedTransferBenchmark {
    /** Seed of the emulator's random decisions: the same losses for the same packet order. */
    static final long LINK_SEED = 1;

    @Param({"0", "50", "200"})
    public int rttMillis;

    @Param({"0", "1", "5"})
    public double lossPercent;

    /** UDP payload per DATA datagram: the transport's default, as bench.sh's grid uses the CLI's. */
    @Param({"" + TransportSettings.DEFAULT_DATAGRAM_SIZE})
    public int datagramSize;

    /** 1 GiB takes about 45 s at 190 Mbit/s; pass a smaller size for a case that would take over a minute. */
    @Param({"1024"})
    public int sizeMiB;

    private Path dir;
    private PayloadFile file;
    private InProcessTransfer transfer;
    private UdpRelay relay;
    private int iteration;

    @Setup(Level.Trial)
    public void createFile() throws IOException {
        dir = Files.createTempDirectory("skyhaul-jmh-relayed-");
        file = PayloadFile.create(dir.resolve("payload.bin"), (long) sizeMiB << 20, 42);
    }

    @Setup(Level.Iteration)
    public void startNodeAndRelay() throws IOException, InterruptedException {
        transfer = new InProcessTransfer(dir.resolve("rx-" + iteration++), TransportSettings.defaults().withDatagramSize(datagramSize));
        GridCase c = new GridCase(rttMillis, lossPercent);
        LinkProfile profile = LinkProfile.builder().delayMillis(c.oneWayDelayMillis()).lossProbability(c.lossFraction())
                .rateBitsPerSecond(GridCase.BOTTLENECK_BITS_PER_SECOND).seed(LINK_SEED).build();
        relay = UdpRelay.start(new InetSocketAddress("127.0.0.1", 0), transfer.nodeAddress(), profile);
    }

    @Benchmark
    public TransferReport transfer(TransferMetrics metrics) throws TransferException {
        long cpu = InProcessTransfer.processCpuNanos() - InProcessTransfer.threadCpuNanos("linkem-");
        TransferReport report = transfer.send(relay.listenAddress(), file);
        cpu = InProcessTransfer.processCpuNanos() - InProcessTransfer.threadCpuNanos("linkem-") - cpu;
        metrics.record(report, cpu);
        return report;
    }

    @TearDown(Level.Iteration)
    public void stopAndVerify() throws IOException {
        relay.close();
        transfer.close();
        transfer.verify(file);
        FileTrees.deleteTree(transfer.root());
    }

    @TearDown(Level.Trial)
    public void deleteFiles() {
        FileTrees.deleteTree(dir);
    }
}
